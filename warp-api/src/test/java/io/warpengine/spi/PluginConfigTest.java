package io.warpengine.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An interval setting is a duration of at least a millisecond, refused by name otherwise. */
class PluginConfigTest {

  private static PluginConfig config(String value) {
    return PluginConfig.of("p", Map.of("p.every", value, "other.every", "PT0S"));
  }

  @Test
  void anIntervalIsADurationOfAtLeastAMillisecond() {
    assertEquals(Duration.ofMillis(1), config("1").interval("every", Duration.ofSeconds(9)));
    assertEquals(Duration.ofSeconds(5), config("PT5S").interval("every", Duration.ZERO));
    assertEquals(Duration.ofSeconds(9),
        PluginConfig.of("p", Map.of()).interval("every", Duration.ofSeconds(9)), "the default");
    for (String tooShort : new String[] {"0", "PT0S", "-PT1S", "PT0.0009S"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> config(tooShort).interval("every", Duration.ofSeconds(1)));
      assertEquals("property p.every must be at least 1 ms, was "
          + config(tooShort).duration("every", null), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("soon").interval("every", Duration.ofSeconds(1)));
    assertEquals("property p.every must be a duration such as PT5S or 5000, was 'soon'",
        e.getMessage());
  }
}
