package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick-start sample is the body of {@link QuickStart#run}, character for character: this test
 * runs it and checks that the README shows exactly that code, so the sample cannot rot.
 */
class QuickStartTest {

  @Test
  void quickStartRuns() {
    assertEquals("Hello, Ada (visits: 1)", QuickStart.run());
  }

  @Test
  void readmeShowsTheQuickStartCode() throws IOException {
    String source = Files.readString(Path.of("src/test/java/io/warpengine/core/QuickStart.java"));
    String readme = Files.readString(Path.of("../README.md"));
    assertEquals(region(source, "// quick-start:begin\\n", "\\s*// quick-start:end"),
        region(readme, "```java\\n", "```").stripTrailing());
  }

  private static String region(String text, String begin, String end) {
    Matcher m = Pattern.compile(begin + "(.*?)" + end, Pattern.DOTALL).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no region between " + begin + " and " + end);
    }
    return m.group(1).stripIndent().strip();
  }
}
