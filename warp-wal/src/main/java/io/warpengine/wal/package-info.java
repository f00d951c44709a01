/**
 * The write-ahead log behind a durable Warp engine.
 *
 * <h2>Durability contract</h2>
 * <table>
 *   <caption>What a returned write survives</caption>
 *   <tr><th>Sync policy</th><th>A write returns when</th><th>Lost on process crash</th><th>Lost on power loss</th></tr>
 *   <tr><td>{@code ALWAYS}</td><td>its record is written and fsynced; concurrent writers share one fsync</td><td>nothing</td><td>nothing</td></tr>
 *   <tr><td>{@code PERIODIC(interval)}, default 100 ms</td><td>its record reached the OS (copied into the memory-mapped segment, which is the page cache: no system call); a background thread fsyncs every interval</td><td>nothing</td><td>at most the last interval</td></tr>
 *   <tr><td>{@code NONE}</td><td>its record reached the OS</td><td>nothing</td><td>whatever the OS had not written</td></tr>
 * </table>
 * A {@code putAll} is one record: after any crash all of it is there or none of it.
 *
 * <h2>Files</h2>
 * A data directory holds {@code warp.lock} (held with an OS file lock while an engine has the
 * directory open; a second open, in this process or another, is refused), log segments
 * {@code segment-NNNNNNNNNNNNNNNNNNNN.wal} (20-digit number, so that name order is log order;
 * a new one starts when the current one would pass {@code wal.segmentBytes}), and at most one
 * {@code snapshot-SSSSSSSSSSSSSSSSSSSS.snap}, named after the highest sequence number it covers.
 * Any other file is refused at open. All integers are big-endian.
 *
 * <p>Unless the policy is {@code ALWAYS} (which stages records on the heap and writes each
 * group commit's records with one positional write before its sync, see {@code ActiveSegment}),
 * the segment being written is memory-mapped. Either way its disk
 * space is claimed ahead of the records a megabyte at a time by writing zeros (so that a full
 * disk is an exception at a put, not a signal): while it is open, and after a crash, it ends in
 * zeros after its last record. Recovery cuts such zeros silently; a closed or finished segment ends at its last
 * record.
 *
 * <pre>
 * File header (40 bytes), at the start of every segment and snapshot
 *  0                   8           12          16                  24                  32     36     40
 * +-------------------+-----------+-----------+-------------------+-------------------+------+------+
 * | magic "WARPWAL\n" | version=2 | kind      | base sequence     | segment number    | flags| CRC  |
 * |                   |           | 1 segment | seq before first  | own number, or    |      | of   |
 * |                   |           | 2 snapshot| record / covered  | first not covered |      | 0-35 |
 * +-------------------+-----------+-----------+-------------------+-------------------+------+------+
 *
 * Record
 *  0        4        8        12                 20   21
 * +--------+--------+--------+------------------+----+------------------------------+
 * | length | ~length| CRC32C | sequence (int64) | op | body                         |
 * |   L    |        | of the L bytes from 12   |    | L - 9 bytes                  |
 * +--------+--------+--------+------------------+----+------------------------------+
 *
 * Bodies (a "bytes" field is an int32 length n, then n bytes):
 *   op 1 put        key bytes (1..65535, UTF-8), value bytes
 *   op 2 delete     key bytes
 *   op 3 batch      int32 count, then count x (key bytes, value bytes)
 *   op 4 metadata   owner bytes (1..255, UTF-8), payload bytes (at most 1 MiB)
 *   op 5 snap end   int64 number of entries (snapshots only, last record); its sequence
 *                   is the last one appended when the snapshot finished reading the map,
 *                   the newest write whose value it may hold
 * </pre>
 *
 * <p>{@code ~length} (the bitwise complement) lets a reader distrust a damaged length before
 * using it; every length is checked against what the record and the file still hold before
 * anything is allocated, so garbage can neither hang a reader nor exhaust its memory.
 * Sequence numbers are contiguous, so a missing record or segment is noticed. The one gap
 * allowed: after recovery dropped records (a torn tail, or salvage), their numbers are never
 * used again, and the segment it starts next says so with flag 1 in its header; a segment
 * without the flag must start where the log before it ends. (Version 1 files, written before
 * the flag existed, may follow a gap unmarked; they are read as before.)
 *
 * <h2>Recovery</h2>
 * The newest snapshot, then every record of the segments after it, in order. Zeros from
 * some offset to the end of the last segment are claimed space (above) and are cut. A bad
 * record in the last segment with no valid record after it is a torn tail, cut off with a WARN naming
 * file and offset (it was never acknowledged). Other damage fails the open naming file and
 * offset, unless {@code wal.salvage=true}: then the records before the damage are kept and a
 * WARN says what was dropped — unless the damage comes before the newest write the snapshot
 * may hold (its end record's sequence): keeping less would mix the snapshot's newer values with
 * an older log, a state the engine never had, so that open fails too.
 *
 * <h2>Values read back by location</h2>
 * For values beyond the event horizon, {@link io.warpengine.spi.Journal#spill} logs a value
 * again as an ordinary put and returns the record's location (file and offset packed into a
 * {@code long}, see {@code Locations}); {@link io.warpengine.spi.Journal#read} reads the record
 * there, checks its checksum and key, and returns the value. Recovery hands the locations of
 * recovered puts too. A snapshot copies every value on disk into itself and relocates the
 * engine's entries before it deletes the files they pointed into.
 *
 * <h2>Snapshots and compaction</h2>
 * A snapshot is written on a schedule ({@code wal.snapshotInterval}, default 10 minutes) and
 * whenever the log since the last one exceeds half the last snapshot's size or one segment,
 * whichever is larger; {@link io.warpengine.spi.Journal#snapshot()} writes one on demand. It is
 * written to a temporary file, fsynced, renamed and the directory fsynced; then the segments it
 * covers and the older snapshot are deleted. Writers are held only while the journal notes the
 * covered sequence. So the directory stays near the live data (at most about twice it plus a
 * segment) and recovery time stays bounded however long the engine runs.
 */
package io.warpengine.wal;
