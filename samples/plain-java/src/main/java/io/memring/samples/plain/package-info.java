/** A plain Java program using Memring through the standard JCache API only. */
package io.memring.samples.plain;
