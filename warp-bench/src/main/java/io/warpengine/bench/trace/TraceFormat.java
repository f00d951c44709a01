package io.warpengine.bench.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * How a key-access trace file is written. Files ending in {@code .gz} are gunzipped first.
 * Each key is returned as its decimal text, the form the engine stores.
 */
public enum TraceFormat {
  /** Text, one block number per line (the LIRS traces); blank lines and {@code *} lines are skipped. */
  LIRS,
  /** Binary, big-endian signed 32-bit keys back to back. */
  INT32,
  /** Binary, big-endian signed 64-bit keys back to back. */
  INT64;

  /**
   * Reads every key of {@code file}; a malformed line names the file and line number, a binary
   * key cut off by the end of the file the file and the key's byte offset.
   */
  public List<String> read(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return this == LIRS ? readText(file, in) : readBinary(file, in);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file));
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
  }

  private static List<String> readText(Path file, InputStream in) throws IOException {
    List<String> keys = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    int lineNumber = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNumber++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("*")) {
        continue;
      }
      try {
        keys.add(Long.toString(Long.parseLong(s)));
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + lineNumber + ": not a block number: '" + s + "'", e);
      }
    }
    return keys;
  }

  /**
   * The end of the file may only come between keys: one that ends inside a key is an error, not
   * the end of the trace.
   */
  private List<String> readBinary(Path file, InputStream in) throws IOException {
    int size = this == INT32 ? Integer.BYTES : Long.BYTES;
    ByteBuffer key = ByteBuffer.allocate(size); // big-endian
    List<String> keys = new ArrayList<>();
    for (long offset = 0; ; offset += size) {
      int read = in.readNBytes(key.array(), 0, size);
      if (read == 0) {
        return keys;
      }
      if (read < size) {
        throw new IOException(file + " byte " + offset + ": the last key is cut off (" + read
            + " of " + size + " bytes)");
      }
      keys.add(Long.toString(this == INT32 ? key.getInt(0) : key.getLong(0)));
    }
  }
}
