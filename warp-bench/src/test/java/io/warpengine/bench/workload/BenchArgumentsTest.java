package io.warpengine.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchArgumentsTest {

  private static final Map<String, String> DEFAULTS = Map.of("n", "3", "list", "1,2",
      "seconds", "3");

  @Test
  void givenValuesReplaceDefaultsAndUnknownNamesAreRefused() {
    Map<String, String> a = BenchArguments.parse(new String[] {"n=5"}, DEFAULTS);
    assertEquals(5, BenchArguments.positive(a, "n"));
    assertEquals(List.of(1, 2), BenchArguments.positives(a, "list"));
    assertEquals(Duration.ofSeconds(3), BenchArguments.seconds(a, "seconds"));
    assertEquals("unknown argument 'm=1'; expected name=value with a name of " + a.keySet(),
        refused(() -> BenchArguments.parse(new String[] {"m=1"}, DEFAULTS)));
    assertEquals("unknown argument 'n'; expected name=value with a name of " + a.keySet(),
        refused(() -> BenchArguments.parse(new String[] {"n"}, DEFAULTS)));
  }

  @Test
  void wholeNumbersAreCheckedAndTheMessageNamesTheArgument() {
    assertEquals("n=0: expected a whole number of at least 1", refused(() -> positive("0")));
    assertEquals("n=x: expected a whole number of at least 1", refused(() -> positive("x")));
    assertEquals("n=3000000000: expected a whole number of at least 1",
        refused(() -> positive("3000000000")));
    assertEquals("n=7: expected a whole number of at least 8",
        refused(() -> BenchArguments.atLeast(Map.of("n", "7"), "n", 8)));
    assertEquals(8, BenchArguments.atLeast(Map.of("n", "8"), "n", 8));
    assertEquals(List.of(1000, 5), BenchArguments.positives(Map.of("r", "1000, 5"), "r"));
    assertEquals("r=1000,-5: expected each of them a whole number of at least 1",
        refused(() -> BenchArguments.positives(Map.of("r", "1000,-5"), "r")));
    assertEquals("r=1000,: expected each of them a whole number of at least 1",
        refused(() -> BenchArguments.positives(Map.of("r", "1000,"), "r")));
  }

  @Test
  void secondsTakeFractionsFromAMillisecondToADay() {
    assertEquals(Duration.ofMillis(200), seconds("0.2"));
    assertEquals(Duration.ofMillis(1), seconds("0.001"));
    assertEquals(Duration.ofDays(1), seconds("86400"));
    for (String bad : List.of("0", "0.0009", "-1", "86400.001", "1e30")) {
      assertEquals("s=" + bad + ": expected from one millisecond to a day",
          refused(() -> seconds(bad)));
    }
    assertEquals("s=soon is not a number of seconds", refused(() -> seconds("soon")));
  }

  private static int positive(String value) {
    return BenchArguments.positive(Map.of("n", value), "n");
  }

  private static Duration seconds(String value) {
    return BenchArguments.seconds(Map.of("s", value), "s");
  }

  private static String refused(Runnable call) {
    return assertThrows(BenchArguments.Refused.class, call::run).getMessage();
  }
}
