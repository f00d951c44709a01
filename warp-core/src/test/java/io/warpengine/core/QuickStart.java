package io.warpengine.core;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.api.Codec;
import io.warpengine.api.Priority;
import io.warpengine.api.PutOptions;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import java.nio.file.Path;

/** The README's quick-start sample (kept in sync by {@link QuickStartTest}). */
final class QuickStart {

  private QuickStart() {}

  static String run() {
    // quick-start:begin
    WarpOptions options = WarpOptions.builder()
        .dataDirectory(Path.of("target", "quick-start-data")) // durable when warp-wal is present
        .build();
    try (WarpEngine warp = Warp.open(options)) {
      warp.put("user:42:name", "Ada".getBytes(UTF_8), PutOptions.of(Priority.HIGH));
      warp.put("user:42:visits", 1L, Codec.LONG);

      String name = warp.get("user:42:name", Codec.STRING).orElse("nobody");
      long visits = warp.get("user:42:visits", Codec.LONG).orElse(0L);
      return "Hello, " + name + " (visits: " + visits + ")";
    }
    // quick-start:end
  }
}
