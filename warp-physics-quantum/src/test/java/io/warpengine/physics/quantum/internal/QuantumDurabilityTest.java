package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Partner;
import io.warpengine.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit links in a durable engine: across restarts, deletes, the size cap and SIGKILL. */
class QuantumDurabilityTest {

  @TempDir
  Path dir;
  /** Apart from the data directory, which refuses files it did not write. */
  @TempDir
  Path logs;

  /** A strength unique to link i, so a recovered link says which save it came from. */
  static double strength(int i) {
    return 0.1 + (i % 900) / 1000.0;
  }

  private WarpEngine open(String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().dataDirectory(dir)
        .property("quantum.learnInterval", "PT1H");
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return Warp.open(b.build());
  }

  private static Entanglement q(WarpEngine engine) {
    return engine.plugin(Entanglement.class).orElseThrow();
  }

  @Test
  void aRestartKeepsExactlyTheExplicitLinks() {
    try (WarpEngine engine = open()) {
      assertTrue(engine.isDurable());
      q(engine).entangle("a", "b", 0.7);
      q(engine).entangle("a", "c", 0.4);
      q(engine).entangle("b", "c", 0.2);
      q(engine).disentangle("a", "c");
    }
    try (WarpEngine engine = open()) {
      assertEquals(List.of(new Partner("b", 0.7, LinkSource.EXPLICIT)), q(engine).partners("a"));
      assertEquals(List.of(new Partner("a", 0.7, LinkSource.EXPLICIT),
          new Partner("c", 0.2, LinkSource.EXPLICIT)), q(engine).partners("b"));
      assertEquals(2L, engine.metrics().pluginMetrics().get("quantum").get("explicitLinks"));
    }
  }

  @Test
  void deletingAKeyRemovesItsLinksForGood() {
    try (WarpEngine engine = open()) {
      q(engine).entangle("x", "y", 0.9);
      engine.put("x", new byte[1]);
      engine.delete("x");
      q(engine).learnNow();
      assertEquals(List.of(), q(engine).partners("y"));
    }
    try (WarpEngine engine = open()) {
      assertEquals(List.of(), q(engine).partners("y"));
    }
  }

  @Test
  void linksOverTheCapAreRefusedAndNothingChanges() {
    // Header 5 bytes, then 4 + 2 + 4 + 2 + 8 = 20 per link of two-letter keys: two fit in 50.
    try (WarpEngine engine = open("quantum.maxExplicitBytes", "50")) {
      q(engine).entangle("k1", "k2", 0.5);
      q(engine).entangle("k2", "k3", 0.5);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> q(engine).entangle("k3", "k4", 0.5));
      assertTrue(e.getMessage().contains("over quantum.maxExplicitBytes = 50"), e.getMessage());
      q(engine).entangle("k1", "k2", 0.9); // replacing an existing link takes no room
      assertEquals(List.of(), q(engine).partners("k4"));
    }
    try (WarpEngine engine = open()) {
      assertEquals(List.of(), q(engine).partners("k4"));
      assertEquals(0.9, q(engine).partners("k1").getFirst().strength());
    }
  }

  /**
   * A child JVM entangles a chain of links in ALWAYS mode, acknowledging each; it is killed with
   * SIGKILL at a random moment. After each kill the recovered links must be exactly the chain's
   * first m links, with m at least the last acknowledged one (and at most one more, whose save
   * may have been durable before its acknowledgement): never half a link, never a gap.
   */
  @Test
  void aSigkillNeverLosesAnAcknowledgedLinkNorLeavesHalfOfOne() throws Exception {
    SplittableRandom random = new SplittableRandom(51);
    int next = 0;
    for (int cycle = 0; cycle < 10; cycle++) {
      int lastAck = ChildJvm.killAfterAcks(start(next), 1 + random.nextInt(25), next - 1,
          logs.resolve("child.log"));
      try (WarpEngine engine = open()) {
        Entanglement q = q(engine);
        int m = -1;
        while (linked(q, m + 1)) {
          m++;
        }
        assertTrue(m >= lastAck && m <= lastAck + 1, "cycle " + cycle + ": recovered links up to "
            + m + ", last acknowledged " + lastAck);
        assertEquals((long) m + 1, engine.metrics().pluginMetrics().get("quantum").get("explicitLinks"),
            "no link beyond the chain's first " + (m + 1));
        for (int i = 0; i <= m; i++) {
          List<Partner> left = q.partners("n" + i);
          assertTrue(left.contains(new Partner("n" + (i + 1), strength(i), LinkSource.EXPLICIT)),
              "link " + i + " from its first end: " + left);
          List<Partner> right = q.partners("n" + (i + 1));
          assertTrue(right.contains(new Partner("n" + i, strength(i), LinkSource.EXPLICIT)),
              "link " + i + " from its second end: " + right);
        }
        next = m + 1;
      }
    }
  }

  /** Whether link i of the chain, n{i}–n{i+1}, exists (seen from its first end). */
  private static boolean linked(Entanglement q, int i) {
    String other = "n" + (i + 1);
    return q.partners("n" + i).stream().anyMatch(p -> p.key().equals(other));
  }

  private Process start(int first) throws IOException {
    return ChildJvm.start(QuantumCrashChild.class, "io.warpengine.physics.quantum",
        List.of(dir.toString(), Integer.toString(first)), logs.resolve("child.log"));
  }
}
