package io.warpengine.example.halflife.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every code block of {@code docs/plugin-authoring.md} is preceded by
 * {@code <!-- from PATH -->} and must be a run of consecutive lines of that file (at any one
 * indentation), so the guide shows code that compiles and is tested.
 */
class GuideSnippetsTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Pattern BLOCK =
      Pattern.compile("(<!-- from (\\S+) -->\\n)?```\\w*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyCodeBlockOfTheGuideIsInTheFileItNames() throws IOException {
    String guide = Files.readString(ROOT.resolve("docs/plugin-authoring.md"));
    Matcher m = BLOCK.matcher(guide);
    List<String> failures = new ArrayList<>();
    int blocks = 0;
    while (m.find()) {
      blocks++;
      if (m.group(2) == null) {
        failures.add("a code block names no file: " + m.group(3).lines().findFirst().orElse(""));
        continue;
      }
      List<String> file = Files.readAllLines(ROOT.resolve(m.group(2)));
      if (!containsRun(file, m.group(3).lines().toList())) {
        failures.add("not in " + m.group(2) + ":\n" + m.group(3));
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(blocks >= 10, "only " + blocks + " code blocks found");
  }

  /** Whether {@code lines} occur consecutively in {@code file}, all shifted by one indentation. */
  private static boolean containsRun(List<String> file, List<String> lines) {
    for (int start = 0; start + lines.size() <= file.size(); start++) {
      String first = file.get(start);
      int shift = first.length() - lines.getFirst().length();
      if (shift < 0 || !first.endsWith(lines.getFirst()) || !first.substring(0, shift).isBlank()) {
        continue;
      }
      String indent = first.substring(0, shift);
      boolean all = true;
      for (int j = 1; j < lines.size() && all; j++) {
        String want = lines.get(j);
        all = want.isEmpty() ? file.get(start + j).isBlank() : file.get(start + j).equals(indent + want);
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
