package io.warpengine.bench;

import static io.warpengine.bench.ReportLines.assertQuotient;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The smoke tests' ratio check: it tolerates the rounding of what was printed, and no more. */
class ReportLinesTest {

  @Test
  void aRatioOfRoundedFiguresPassesWhateverTheRoundingDid() {
    // 8.4 MiB/s over 1,655.2 MiB/s is 0.0051, printed 0.01; the printed 8 / 1,655 gives 0.0048.
    assertDoesNotThrow(() -> assertQuotient("8", "1,655", "0.01", "rounded"));
    assertDoesNotThrow(() -> assertQuotient("159,404", "6,441", "24.7", "exact"));
    assertDoesNotThrow(() -> assertQuotient("1", "0", "3.00", "a zero denominator bounds nothing"));
  }

  @Test
  void aRatioOffByMoreThanItsPrecisionFails() {
    assertThrows(AssertionFailedError.class, () -> assertQuotient("8", "1,655", "0.02", "x2"));
    // 5% too high: 24.7 would be printed as 25.9.
    assertThrows(AssertionFailedError.class,
        () -> assertQuotient("159,404", "6,441", "25.9", "+5%"));
    assertThrows(AssertionFailedError.class,
        () -> assertQuotient("7,980", "1,041,773", "0.02", "x2"));
  }
}
