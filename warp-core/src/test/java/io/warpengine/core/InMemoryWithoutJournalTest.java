package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** warp-wal is not on this module's test path: a data directory alone keeps the engine in memory. */
class InMemoryWithoutJournalTest {

  @TempDir
  Path dir;

  @Test
  void aDataDirectoryWithoutAJournalModuleStaysInMemoryAndWritesNothing() throws Exception {
    try (WarpEngine e = Warp.open(WarpOptions.builder().dataDirectory(dir).build())) {
      assertFalse(e.isDurable());
      e.put("k", new byte[] {1});
      assertArrayEquals(new byte[] {1}, e.get("k"));
    }
    try (var files = Files.list(dir)) {
      assertFalse(files.findAny().isPresent(), "nothing written to " + dir);
    }
  }
}
