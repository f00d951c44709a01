package io.warpengine.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReplayTest {

  private static List<String> keys(String trace) {
    return Arrays.asList(trace.split(" "));
  }

  /**
   * A loop of four keys through three slots, worked by hand.
   *
   * <p>LRU always evicts the key that comes next: 0 hits.
   *
   * <p>Warp (window 1 slot, main 2 slots: probation and a 1-slot protected segment): 1, 2, 3
   * fill the cache; 4 pushes 3 out of the window, where it loses to 1 (equal mass, the resident
   * wins). From then on the window's newcomer always ties or loses against 1 or 2, which are hit
   * every round and keep growing heavier, so 1 and 2 hit in rounds two and three: 4 hits.
   *
   * <p>Caffeine runs the same W-TinyLFU scheme at this size and makes the same choices.
   */
  @Test
  void loopOfFourThroughThreeSlotsMatchesTheHandComputation() {
    TraceReplay.Result r = TraceReplay.replay(keys("1 2 3 4 1 2 3 4 1 2 3 4"), 3);
    assertEquals(12, r.accesses());
    assertEquals(0, r.lruHits());
    assertEquals(4, r.warpHits());
    assertEquals(4, r.caffeineHits());
  }

  /** Everything fits: every policy misses each key once, then always hits. */
  @Test
  void aTraceThatFitsHitsEverythingButTheFirstAccess() {
    TraceReplay.Result r = TraceReplay.replay(keys("7 8 7 8 9 9 7 8 9"), 3);
    assertEquals(6, r.lruHits());
    assertEquals(6, r.warpHits());
    assertEquals(6, r.caffeineHits());
    assertEquals(6.0 / 9, r.warpHitRate(), 1e-12);
  }

  @Test
  void readsLirsTextGzippedAndBinaryFormats(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("t.trace.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(text))) {
      out.write("1\n\n*\n 22 \n-3\n".getBytes());
    }
    assertEquals(List.of("1", "22", "-3"), TraceFormat.LIRS.read(text));

    Path int32 = dir.resolve("t.bin");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(int32))) {
      out.writeInt(5);
      out.writeInt(-1);
    }
    assertEquals(List.of("5", "-1"), TraceFormat.INT32.read(int32));
    assertEquals(List.of("25769803775"), TraceFormat.INT64.read(int32)); // 0x5_FFFF_FFFF

    Path bad = dir.resolve("bad.trace");
    Files.writeString(bad, "1\nx2\n");
    IOException e = assertThrows(IOException.class, () -> TraceFormat.LIRS.read(bad));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  /** A binary trace may end only between keys: 3 bytes after the last whole key are an error. */
  @Test
  void aBinaryTraceThatEndsInsideAKeyNamesTheFileAndByte(@TempDir Path dir) throws IOException {
    Path cut = dir.resolve("cut.bin");
    Files.write(cut, new byte[] {0, 0, 0, 5, 0, 0, 1});
    IOException e = assertThrows(IOException.class, () -> TraceFormat.INT32.read(cut));
    assertTrue(e.getMessage().contains(cut + " byte 4:"), e.getMessage());
    e = assertThrows(IOException.class, () -> TraceFormat.INT64.read(cut));
    assertTrue(e.getMessage().contains(cut + " byte 0:"), e.getMessage());
  }

  @Test
  void sharedTracesReplayWhenPresent() throws IOException {
    Path gli = Path.of("..", "..", "shared", "traces", "gli.trace.gz");
    assumeTrue(Files.exists(gli), "the shared traces live beside the checkout, not in it");
    TraceReplay.Result r = TraceReplay.replay(TraceFormat.LIRS.read(gli), 1000);
    assertEquals(6015, r.accesses()); // 6,016 lines, one of them blank
    // Published figures for gli at 1000 (LRU 11.2 %); frequency beats recency on this trace.
    assertEquals(0.112, r.lruHitRate(), 0.001);
    assertTrue(r.warpHitRate() > r.lruHitRate(), r.toString());
  }
}
