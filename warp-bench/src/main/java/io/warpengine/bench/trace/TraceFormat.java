package io.warpengine.bench.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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

  /** Reads every key of {@code file}; a malformed line names the file and line number. */
  public List<String> read(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return this == LIRS ? readText(file, in) : readBinary(in);
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

  private List<String> readBinary(InputStream in) throws IOException {
    List<String> keys = new ArrayList<>();
    DataInputStream data = new DataInputStream(in);
    try {
      while (true) {
        keys.add(Long.toString(this == INT32 ? data.readInt() : data.readLong()));
      }
    } catch (EOFException end) {
      return keys;
    }
  }
}
