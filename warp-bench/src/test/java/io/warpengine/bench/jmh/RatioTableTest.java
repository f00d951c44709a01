package io.warpengine.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.bench.workload.Distribution;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTableTest {

  @Test
  void ratiosAreEngineOverEachBaselineAndTheVerdictUsesTheOperationsTargetIfAny() {
    RatioTable.Row get = new RatioTable.Row(Op.GET, Distribution.ZIPF, 2,
        new RatioTable.Score(750, 15), new RatioTable.Score(1000, 20),
        new RatioTable.Score(800, 16));
    RatioTable.Row put = new RatioTable.Row(Op.PUT, Distribution.UNIFORM, 1,
        new RatioTable.Score(750, Double.NaN), new RatioTable.Score(1000, Double.NaN),
        new RatioTable.Score(750, Double.NaN));
    assertEquals(0.75, get.ratio(), 1e-12);
    assertEquals("0.75 ± 0.02", get.engine().ratioTo(get.map()));
    assertEquals(0, RatioTable.noisyScores(List.of(get, put)), "2% is not noisy, NaN is unknown");
    RatioTable.Row noisy = new RatioTable.Row(Op.GET, Distribution.ZIPF, 2,
        new RatioTable.Score(750, 300), new RatioTable.Score(1000, 20), get.copyingMap());
    assertEquals(1, RatioTable.noisyScores(List.of(noisy)));

    StringWriter text = new StringWriter();
    RatioTable.print(new PrintWriter(text, true), List.of(get, put));
    String[] lines = text.toString().split("\n");
    assertTrue(lines[1].matches(" +get +zipf +2 +750 ± 2% +1,000 ± 2% +0\\.75 ± 0\\.02"
        + " +< 0\\.80 MISSED +800 ± 2% +0\\.94 ± 0\\.03"), lines[1]);
    // the project sets no target for put
    assertTrue(lines[2].matches(" +put +uniform +1 +750 +1,000 +0\\.75 +no target +750 +1\\.00"),
        lines[2]);
  }

  @Test
  void pairedRoundsGiveTheMeanRatioWithAStudentTInterval() {
    // mean 0.95, sample deviation 0.05, standard error 0.05 / sqrt(3), t(0.975, 2) = 4.303
    assertEquals("0.950 ± 0.124", RatioTable.meanWithInterval(List.of(1.0, 0.9, 0.95)));
    // 12 rounds: beyond the table, t(0.975, 11) = 2.201 (not the normal's 1.96)
    List<Double> twelve = List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9);
    double deviation = Math.sqrt(12 * 0.05 * 0.05 / 11);
    assertEquals(String.format(java.util.Locale.ROOT, "0.950 ± %.3f",
        2.201 * deviation / Math.sqrt(12)), RatioTable.meanWithInterval(twelve));
  }

  @Test
  void studentQuantilesBeyondTheTableAreWithinAThousandthOfTheExactOnes() {
    assertEquals(2.228, RatioTable.t975(10), 1e-9);
    // exact values from a statistics table
    assertEquals(2.201, RatioTable.t975(11), 0.001);
    assertEquals(2.069, RatioTable.t975(23), 0.001);
    assertEquals(2.042, RatioTable.t975(30), 0.001);
    assertEquals(2.000, RatioTable.t975(60), 0.001);
  }
}
