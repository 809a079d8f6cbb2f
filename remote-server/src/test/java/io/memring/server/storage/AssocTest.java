package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssocTest {
    private final PagePool pool = new PagePool(16L << 20, 1 << 20, 64);
    private final ItemLayout mem = new ItemLayout(pool);
    private final SlabAllocator slabs = new SlabAllocator(pool, new SlabClasses(64, 1.25, 1 << 20), mem);
    private final Assoc assoc = new Assoc(mem);

    private int item(String key) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        int c = slabs.classFor(ItemLayout.totalSize(k.length, 0));
        int h = slabs.take(c);
        mem.init(h, c, k, Storage.hash(k), 0, 0, 0, 1, 0);
        return h;
    }

    @Test
    void insert_pastTheLoadFactor_growsInStepsAndFindsEveryKeyMeanwhile() {
        List<String> keys = new ArrayList<>();
        boolean sawExpansion = false;
        for (int i = 0; i < 10_000; i++) {
            String k = "key" + i;
            keys.add(k);
            assoc.insert(item(k));
            sawExpansion |= assoc.expanding();
            if (i % 97 == 0) {
                for (String each : keys) {
                    byte[] b = each.getBytes(StandardCharsets.US_ASCII);
                    assertThat(assoc.find(b, Storage.hash(b))).as(each).isNotZero();
                }
            }
        }
        assertThat(sawExpansion).isTrue();
        assertThat(assoc.count()).isEqualTo(10_000);
        assertThat(assoc.buckets()).isGreaterThanOrEqualTo(8192);
    }

    @Test
    void delete_duringExpansion_removesFromTheRightTable() {
        List<Integer> handles = new ArrayList<>();
        for (int i = 0; i < 1_537; i++) { // the 1,537th insert starts an expansion
            handles.add(item("key" + i));
            assoc.insert(handles.get(i));
        }
        assertThat(assoc.expanding()).isTrue();
        for (int h : handles) {
            assertThat(assoc.delete(h)).isTrue();
        }
        assertThat(assoc.count()).isZero();
        Set<Integer> left = new HashSet<>();
        assertThat(assoc.scan(0, 1 << 20, left::add)).isEqualTo(-1);
        assertThat(left).isEmpty();
    }
}
