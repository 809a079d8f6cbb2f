package io.memring.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The root README's table of settings is the one in {@link ProviderSettings#ALL}, row for row. */
class ProviderSettingsReadmeTest {
    private static final String HEADER = "| key | default | meaning |";

    /** The table as it must appear in the README. */
    static List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.add("|---|---|---|");
        for (Setting<?> s : ProviderSettings.ALL) {
            String def = s.defaultValue().isEmpty() ? "(none)" : "`" + s.defaultValue() + "`";
            rows.add("| `" + s.key() + "` | " + def + " | " + s.meaning() + " |");
        }
        return rows;
    }

    @Test
    void readmeTable_matchesTheSettingsTable() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int start = readme.indexOf(HEADER);
        assertThat(start).as("the README has a settings table headed %s", HEADER).isNotNegative();
        List<String> table = new ArrayList<>();
        for (int i = start; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            table.add(readme.get(i));
        }
        assertThat(String.join("\n", table)).as("README settings table; expected:\n%s", String.join("\n", expectedRows()))
                .isEqualTo(String.join("\n", expectedRows()));
    }
}
