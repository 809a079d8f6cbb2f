/** Transport concerns below the protocol: connection admission ({@code -c}) and accounting. */
package io.memring.server.net;
