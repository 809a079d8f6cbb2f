package io.memring.jcache.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

class ClassAllowListTest {

    interface Shape extends Serializable {
    }

    record Circle(double r) implements Shape {
    }

    @Test
    void matches_followsTheJdkSerialFilterPatterns() {
        assertThat(ClassAllowList.matches("com.acme.Order", "com.acme.Order")).isTrue();
        assertThat(ClassAllowList.matches("com.acme.Order", "com.acme.OrderLine")).isFalse();
        assertThat(ClassAllowList.matches("com.acme.*", "com.acme.Order")).isTrue();
        assertThat(ClassAllowList.matches("com.acme.*", "com.acme.Order$Line")).isTrue();
        assertThat(ClassAllowList.matches("com.acme.*", "com.acme.sub.Order")).isFalse();
        assertThat(ClassAllowList.matches("com.acme.**", "com.acme.sub.Order")).isTrue();
        assertThat(ClassAllowList.matches("com.acme.**", "com.acmeevil.Order")).isFalse();
        assertThat(ClassAllowList.matches("com.acme.Order*", "com.acme.OrderLine")).isTrue();
    }

    @Test
    void forCache_malformedPattern_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ClassAllowList.forCache(Object.class, Object.class, "com.acme.*,!java.io.File"))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining(ClassAllowList.SETTING)
                .hasMessageContaining("!java.io.File");
        assertThatThrownBy(() -> ClassAllowList.forCache(Object.class, Object.class, "*")).isInstanceOf(CacheException.class);
    }

    @Test
    void untypedCache_allowsJdkValueTypes_notOtherJdkClasses() {
        ClassAllowList list = ClassAllowList.forCache(Object.class, Object.class, "");

        assertThat(list.allows(String.class)).isTrue();
        assertThat(list.allows(java.util.HashMap.class)).isTrue();
        assertThat(list.allows(java.time.Instant.class)).isTrue();
        assertThat(list.allows(java.time.DayOfWeek.class)).isTrue();
        assertThat(list.allows(long[].class)).isTrue();
        assertThat(list.allows(File.class)).isFalse();
        assertThat(list.allows(java.util.PriorityQueue.class)).isFalse();
        assertThat(list.allows(java.util.Comparator.class)).isFalse();
        assertThat(list.allows(File[].class)).isFalse();
        assertThat(list.allows(Circle.class)).isFalse();
    }

    @Test
    void configuredUserType_allowsItsSubtypes_butAJdkSupertypeAddsNothing() {
        assertThat(ClassAllowList.forCache(String.class, Shape.class, null).allows(Circle.class)).isTrue();
        assertThat(ClassAllowList.forCache(String.class, Serializable.class, null).allows(File.class)).isFalse();
        assertThat(ClassAllowList.forCache(String.class, Number.class, null).allows(java.util.concurrent.atomic.AtomicLong.class))
                .isFalse();
    }

    @Test
    void proxies_areNeverAllowed() {
        Class<?> proxy = Proxy.getProxyClass(Shape.class.getClassLoader(), Shape.class);

        assertThat(ClassAllowList.forCache(String.class, Shape.class, "io.memring.**,jdk.proxy1.*").allows(proxy))
                .isFalse();
    }
}
