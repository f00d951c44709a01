package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Partner;
import io.warpengine.testkit.Concurrently;
import io.warpengine.testkit.LinearizabilityChecker;
import io.warpengine.testkit.LinearizabilityChecker.Operation;
import io.warpengine.testkit.RegisterModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 8 threads entangle, disentangle and observe links among 6 keys at once. Each pair of keys is a
 * register (its explicit strength, or absent): every strength written is unique, so an
 * observation names the write it saw. Each pair's history — observations made from either end —
 * must be linearizable, and the final links must be the final state of every register.
 */
class EntanglementConcurrencyTest {

  private static final int THREADS = 8;
  private static final int OPS = 20_000;
  private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5"};
  private static final double SCALE = 1 << 28;

  private record Recorded(String pair, RegisterModel op, long call, long ret) {}

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  private static long idOf(List<Partner> partners, String other) {
    for (Partner p : partners) {
      if (p.key().equals(other) && p.source() == LinkSource.EXPLICIT) {
        return Math.round(p.strength() * SCALE);
      }
    }
    return RegisterModel.ABSENT;
  }

  @ParameterizedTest
  @ValueSource(longs = {41, 42, 43})
  void everyPairIsALinearizableRegister(long seed) throws Exception {
    try (WarpEngine engine = Warp.open(WarpOptions.builder().build())) {
      Entanglement q = engine.plugin(Entanglement.class).orElseThrow();
      List<Recorded> all = Concurrently.run(THREADS,
          thread -> run(q, thread + 1, new SplittableRandom(seed * 100 + thread)));
      Map<String, List<Operation<RegisterModel>>> byPair = new HashMap<>();
      for (Recorded r : all) {
        byPair.computeIfAbsent(r.pair(), p -> new ArrayList<>()).add(new Operation<>(r.op(), r.call(), r.ret()));
      }
      List<String> bad = new ArrayList<>();
      byPair.forEach((pair, history) -> {
        long end = System.nanoTime();
        String[] ab = pair.split("\\|");
        long finalId = idOf(q.partners(ab[0]), ab[1]);
        assertEquals(finalId, idOf(q.partners(ab[1]), ab[0]), "the two ends of " + pair + " disagree");
        history.add(new Operation<>(new RegisterModel.Get(finalId), end, System.nanoTime()));
        if (!LinearizabilityChecker.isLinearizable(history, RegisterModel.ABSENT, RegisterModel.MODEL)) {
          bad.add(pair);
        }
      });
      assertEquals(List.of(), bad, "pairs whose history is not linearizable");
    }
  }

  private static List<Recorded> run(Entanglement q, long thread, SplittableRandom rnd) {
    List<Recorded> log = new ArrayList<>();
    long seq = 0;
    for (int i = 0; i < OPS; i++) {
      String a = KEYS[rnd.nextInt(KEYS.length)];
      String b = KEYS[rnd.nextInt(KEYS.length)];
      if (a.equals(b)) {
        continue;
      }
      int choice = rnd.nextInt(10);
      long call = System.nanoTime();
      if (choice < 4) {
        long id = (thread << 24) | ++seq;
        q.entangle(a, b, id / SCALE);
        log.add(new Recorded(pair(a, b), new RegisterModel.Put(id), call, System.nanoTime()));
      } else if (choice < 6) {
        boolean had = q.disentangle(a, b);
        log.add(new Recorded(pair(a, b), new RegisterModel.Delete(had), call, System.nanoTime()));
      } else {
        List<Partner> seen = q.partners(a);
        long ret = System.nanoTime();
        for (String other : KEYS) {
          if (!other.equals(a)) {
            log.add(new Recorded(pair(a, other), new RegisterModel.Get(idOf(seen, other)), call, ret));
          }
        }
      }
    }
    return log;
  }
}
