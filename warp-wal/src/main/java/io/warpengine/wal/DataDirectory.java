package io.warpengine.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one data directory: their names, the lock that keeps a second engine out, and
 * the directory fsync that makes a created, renamed or deleted name durable.
 *
 * <p>Names carry a 20-digit zero-padded number so that their lexical order is their order:
 * {@code segment-00000000000000000007.wal} (the segment's number) and
 * {@code snapshot-00000000000000123456.snap} (the highest sequence number it covers).
 */
final class DataDirectory implements AutoCloseable {

  /** Opens file channels; tests substitute one that injects faults. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path file, OpenOption... options) throws IOException;
  }

  static final String LOCK_FILE = "warp.lock";
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.wal");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");
  private static final String TEMP_SUFFIX = ".tmp";

  final Path path;
  final ChannelOpener opener;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path path, ChannelOpener opener, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.opener = opener;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed and locks it.
   *
   * @throws IllegalStateException if another open engine, in this process or another, holds it
   * @throws UncheckedIOException if the path is a file, or the directory cannot be made or locked
   */
  static DataDirectory lock(Path path, ChannelOpener opener) {
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new UncheckedIOException("cannot use data directory " + path + ": it is a file, not a"
          + " directory; name a directory, or a path that does not exist",
          new NotDirectoryException(path.toString()));
    }
    FileChannel ch = null;
    try {
      Files.createDirectories(path);
      ch = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("data directory " + path + " is in use by another open"
            + " Warp engine (its lock file " + LOCK_FILE + " is held); close that engine first");
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      return new DataDirectory(path, opener, ch, lock);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        try {
          ch.close(); // releases the lock too, if this took it: a failed open holds nothing
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot use data directory " + path + ": " + e, io)
          : (RuntimeException) e;
    }
  }

  /** The directory's files by kind, each sorted by number; leftover temporary files deleted. */
  record Listing(TreeMap<Long, Path> segments, TreeMap<Long, Path> snapshots) {}

  /** Lists the directory, refusing files that warp-wal did not write. */
  Listing list() throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    TreeMap<Long, Path> snapshots = new TreeMap<>();
    List<String> foreign = new ArrayList<>();
    try (Stream<Path> files = Files.list(path)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        Matcher seg = SEGMENT.matcher(name);
        Matcher snap = SNAPSHOT.matcher(name);
        if (name.equals(LOCK_FILE)) {
          continue;
        } else if (!Files.isRegularFile(f)) {
          foreign.add(name);
        } else if (seg.matches()) {
          segments.put(Long.parseLong(seg.group(1)), f);
        } else if (snap.matches()) {
          snapshots.put(Long.parseLong(snap.group(1)), f);
        } else if (name.endsWith(TEMP_SUFFIX)
            && SNAPSHOT.matcher(name.substring(0, name.length() - TEMP_SUFFIX.length())).matches()) {
          Files.delete(f); // a snapshot that a crash interrupted before its rename
        } else {
          foreign.add(name);
        }
      }
    }
    if (!foreign.isEmpty()) {
      throw new IllegalStateException("data directory " + path + " holds files that warp-wal did"
          + " not write: " + foreign + "; move them elsewhere (a data directory belongs to one"
          + " engine)");
    }
    return new Listing(segments, snapshots);
  }

  Path segment(long number) {
    return path.resolve("segment-%020d.wal".formatted(number));
  }

  Path snapshot(long sequence) {
    return path.resolve("snapshot-%020d.snap".formatted(sequence));
  }

  static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
  }

  /** Makes the directory's entries (created, renamed, deleted files) durable. */
  void sync() throws IOException {
    try (FileChannel dir = FileChannel.open(path, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock of " + path, e);
    }
  }
}
