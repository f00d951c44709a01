package io.warpengine.physics.gravity.internal;

import static io.warpengine.physics.gravity.internal.GravityTesting.entries;
import static io.warpengine.physics.gravity.internal.GravityTesting.gravity;
import static io.warpengine.physics.gravity.internal.GravityTesting.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.WarpEngine;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.testkit.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wormholes across SIGKILL: a child JVM moves centre after centre, acknowledging each move;
 * it is killed at a random moment. After each kill every acknowledged wormhole must be back,
 * the in-flight one may be, no other is, every key is readable and every key lies in the shard
 * its centre routes to.
 */
class GravityDurabilityTest {

  static final int SHARDS = 8;

  @TempDir
  Path dir;

  static String key(int i, int k) {
    return "{m" + i + "}:" + k;
  }

  static byte[] value(int i) {
    return ("value of " + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Where centre i moves from its home: never home, and spread over the other shards. */
  static int target(int home, int i) {
    return (home + 1 + i % (SHARDS - 1)) % SHARDS;
  }

  @Test
  void aSigkillKeepsEveryAcknowledgedWormholeAndEveryKeyWhereItRoutes() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    int[] homes = new int[2_000];
    try (WarpEngine memory = open(null, SHARDS)) {
      for (int i = 0; i < homes.length; i++) {
        homes[i] = gravity(memory).shardOfCentre("m" + i);
      }
    }
    SplittableRandom random = new SplittableRandom(61);
    int next = 0;
    Set<Integer> unsure = new HashSet<>();
    for (int cycle = 0; cycle < 6; cycle++) {
      Process child = ChildJvm.start(GravityCrashChild.class, "io.warpengine.physics.gravity",
          List.of(data.toString(), Integer.toString(next)), dir.resolve("child.log"));
      int lastAck = ChildJvm.killAfterAcks(child, 1 + random.nextInt(40), next - 1,
          dir.resolve("child.log"));
      try (WarpEngine engine = open(data, SHARDS)) {
        Gravity g = gravity(engine);
        Map<String, Integer> wormholes = g.wormholes();
        for (int i = 0; i <= lastAck; i++) {
          if (unsure.contains(i)) {
            continue; // in flight when an earlier cycle's child was killed
          }
          assertEquals(target(homes[i], i), wormholes.get("m" + i), "cycle " + cycle + " centre " + i);
          for (int k = 0; k < 3; k++) {
            assertArrayEquals(value(i), engine.get(key(i, k)), key(i, k));
          }
        }
        int inFlight = lastAck + 1;
        unsure.add(inFlight);
        wormholes.forEach((centre, shard) -> {
          int j = Integer.parseInt(centre.substring(1));
          assertTrue(j <= inFlight && shard == target(homes[j], j), "unexpected wormhole "
              + centre + " -> " + shard);
        });
        long[] expected = new long[SHARDS];
        for (int i = 0; i <= inFlight; i++) {
          for (int k = 0; k < 3; k++) {
            if (engine.contains(key(i, k))) {
              expected[g.shardOfCentre("m" + i)]++;
            }
          }
        }
        assertArrayEquals(expected, entries(engine), "every key in the shard its centre routes to");
      }
      next = lastAck + 2; // the in-flight centre is left as it is
    }
  }
}
