package io.warpengine.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * The binding, through the real YCSB client in child JVMs (load in one, run in the next, as
 * YCSB does: the run's reads find the loaded records through the journal), and directly: field
 * merges under concurrent updates, scans in key order, bad properties.
 */
class WarpYcsbBindingTest {

  @TempDir
  Path tmp;

  @Test
  void theOfficialClientLoadsAndRunsWorkloadsAAndEAgainstWarp() throws Exception {
    String data = tmp.resolve("data").toString();
    String load = ycsb("-load", "-P", "ycsb/workloada", "-p", "recordcount=200", "-p",
        "warp.dir=" + data);
    assertEquals(200, figure(load, "INSERT", "Operations"), load);
    assertEquals(200, figure(load, "INSERT", "Return=OK"), load);

    String run = ycsb("-t", "-P", "ycsb/workloada", "-p", "recordcount=200", "-p",
        "operationcount=1000", "-p", "warp.dir=" + data);
    long reads = figure(run, "READ", "Operations");
    long updates = figure(run, "UPDATE", "Operations");
    assertEquals(1000, reads + updates, run);
    assertTrue(reads > 300 && updates > 300, run);
    assertEquals(reads, figure(run, "READ", "Return=OK"), "every read finds its record: " + run);
    assertEquals(updates, figure(run, "UPDATE", "Return=OK"), run);
    assertFalse(run.contains("Return=NOT_FOUND") || run.contains("Return=ERROR"), run);

    String scans = ycsb("-t", "-P", "ycsb/workloade", "-p", "recordcount=200", "-p",
        "operationcount=200", "-p", "warp.dir=" + data);
    long scanned = figure(scans, "SCAN", "Operations");
    assertTrue(scanned > 150, scans);
    assertEquals(scanned, figure(scans, "SCAN", "Return=OK"), scans);
  }

  @Test
  void concurrentUpdatesOfOneRecordLoseNoField() throws Exception {
    WarpYcsbBinding setup = binding(new Properties());
    setup.init();
    try {
      assertEquals(Status.OK, setup.insert("t", "k", StringByteIterator.getByteIteratorMap(
          Map.of("seed", "0"))));
      int threads = 8;
      int rounds = 300;
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = new Vector<>();
      for (int t = 0; t < threads; t++) {
        String field = "f" + t;
        workers.add(Thread.ofPlatform().start(() -> {
          WarpYcsbBinding db = binding(new Properties());
          try {
            db.init();
            for (int i = 1; i <= rounds; i++) {
              Status s = db.update("t", "k", StringByteIterator.getByteIteratorMap(
                  Map.of(field, Integer.toString(i))));
              if (s != Status.OK) {
                throw new AssertionError(field + " update " + i + ": " + s);
              }
            }
            db.cleanup();
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread w : workers) {
        w.join();
      }
      assertTrue(failures.isEmpty(), failures.toString());
      Map<String, ByteIterator> record = new HashMap<>();
      assertEquals(Status.OK, setup.read("t", "k", null, record));
      Map<String, String> expected = new HashMap<>(Map.of("seed", "0"));
      for (int t = 0; t < threads; t++) {
        expected.put("f" + t, Integer.toString(rounds));
      }
      assertEquals(expected, StringByteIterator.getStringMap(record));
    } finally {
      setup.cleanup();
    }
  }

  @Test
  void scansReturnRecordsFromTheStartKeyInKeyOrderAndReadsOnlyTheFieldsAsked() throws Exception {
    WarpYcsbBinding db = binding(new Properties());
    db.init();
    try {
      for (int i = 0; i < 50; i++) {
        db.insert("t", String.format("user%03d", i), StringByteIterator.getByteIteratorMap(
            Map.of("id", Integer.toString(i), "other", "x")));
      }
      db.insert("u", "user010", StringByteIterator.getByteIteratorMap(Map.of("id", "other")));
      Vector<HashMap<String, ByteIterator>> rows = new Vector<>();
      assertEquals(Status.OK, db.scan("t", "user010", 5, Set.of("id"), rows));
      List<String> ids = rows.stream().map(r -> StringByteIterator.getStringMap(r))
          .map(m -> m.keySet() + "=" + m.get("id")).toList();
      assertEquals(List.of("[id]=10", "[id]=11", "[id]=12", "[id]=13", "[id]=14"), ids);
      assertEquals(Status.NOT_FOUND, db.read("t", "user999", null, new HashMap<>()));
      assertEquals(Status.OK, db.delete("t", "user001"));
      assertEquals(Status.NOT_FOUND, db.delete("t", "user001"));
      assertEquals(Status.NOT_FOUND, db.update("t", "user001", new HashMap<>()));
    } finally {
      db.cleanup();
    }
  }

  @Test
  void badPropertiesAreNamed() {
    Properties p = new Properties();
    p.setProperty("warp.sync", "sometimes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WarpYcsbBinding.options(p));
    assertEquals("warp.sync must be always, periodic or none, was 'sometimes'", e.getMessage());
    Properties q = new Properties();
    q.setProperty("warp.plugins", "some");
    assertThrows(IllegalArgumentException.class, () -> WarpYcsbBinding.options(q));
  }

  private static WarpYcsbBinding binding(Properties p) {
    WarpYcsbBinding db = new WarpYcsbBinding();
    db.setProperties(p);
    return db;
  }

  /** A figure of the client's report: "[OP], NAME, VALUE". */
  private static long figure(String output, String op, String name) {
    Matcher m = Pattern.compile("^\\[" + op + "\\], " + Pattern.quote(name) + ", (\\d+)$",
        Pattern.MULTILINE).matcher(output);
    assertTrue(m.find(), "no [" + op + "], " + name + " in:\n" + output);
    return Long.parseLong(m.group(1));
  }

  /**
   * Runs site.ycsb.Client with the binding in a child JVM (it calls System.exit), everything of
   * this test's module and class path on its class path, as {@code ./warp ycsb} runs it.
   */
  private String ycsb(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> path = new ArrayList<>();
    for (String p : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(p);
      if (v != null && !v.isEmpty()) {
        path.add(v);
      }
    }
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
        String.join(File.pathSeparator, path), "site.ycsb.Client", "-db",
        WarpYcsbBinding.class.getName()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "ycsb", ".err");
    Process child = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, child.exitValue(), out + Files.readString(log));
    return out;
  }
}
