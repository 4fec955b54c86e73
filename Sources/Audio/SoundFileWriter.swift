import CSndFile
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a recording as it arrives, so that a crash or `kill -9` loses at most the last second.
///
///     let url = URL(fileURLWithPath: "lesson.flac")
///     let writer = try SoundFileWriter(url: url, sampleRateHz: 16_000, channelCount: 1)
///     try writer.append(chunk)      // interleaved Float samples, any number of whole frames
///     try writer.close()
///
/// Samples are stored as 16-bit PCM (x * 32768, rounded, clipped to the 16-bit range). A writer belongs to one
/// thread; it does file I/O and fsync, so it never runs on the real-time capture thread.
///
/// Crash safety. Every `syncIntervalFrames` frames (half a second of audio by default) the writer makes what it has
/// written readable on its own and durable:
///
/// - WAV: the header's data size is rewritten (`SFC_UPDATE_HEADER_NOW`) after the samples are fsync'ed, then
///   fsync'ed again. Without it the header says 0 bytes and sox reads nothing.
/// - FLAC: libsndfile hands samples straight to libFLAC, which writes a frame once it holds a block (4096 frames)
///   plus one frame of look-ahead, and writes STREAMINFO's final values (total samples, MD5, frame sizes) only
///   when closed. Measured with libsndfile 1.2.0 / libFLAC 1.4.2 / sox 14.4: a FLAC file that was never closed
///   still opens (total samples 0 means "unknown"; libsndfile reports SF_COUNT_MAX frames and both decode to the
///   end of the file), but `soxi -s` says 0 samples, and if the last frame is cut short (a power loss, a full
///   disk) libsndfile stops with "flac decoder lost sync" and sox fails. So after fsync'ing the frames the writer
///   patches STREAMINFO's 36-bit total-samples field, through its own descriptor, to the frames held in complete
///   FLAC frames (whole blocks, less the look-ahead), and fsyncs again. Readers then stop cleanly at the synced
///   audio, whatever follows it, and soxi reports its length. The file stays an ordinary FLAC file throughout;
///   `close()` lets libFLAC rewrite the whole STREAMINFO, MD5 included.
///
/// At 16 kHz the audio not yet synced is at most half a second plus one 4096-frame block (0.26 s) plus the chunk
/// being appended; below about 8.2 kHz the interval shrinks so that the sum stays under one second.
public final class SoundFileWriter {
    /// Where the file is being written.
    public let url: URL
    /// The format being written.
    public let format: SoundFileFormat
    /// Frames per second.
    public let sampleRateHz: Int
    /// Samples per frame.
    public let channelCount: Int
    /// Frames appended so far (each is `channelCount` samples).
    public private(set) var framesWritten = 0
    /// Frames that a reader would find if the process died now (updated at each sync).
    public private(set) var framesSynced = 0

    private let path: String
    private var file: OpaquePointer?
    /// Frames between syncs, or nil to sync only at close (whole files written at once).
    private let syncIntervalFrames: Int?
    private var framesWrittenAtLastSync = 0
    /// libFLAC's fixed block size read back from STREAMINFO, or nil when not FLAC or not patchable.
    private var flacBlockFrames: Int?
    /// Our own descriptor on the file: fsync through it reports errors (sf_write_sync returns nothing), and
    /// pwrite through it patches FLAC's STREAMINFO without moving libsndfile's file position.
    private var syncDescriptor: Int32 = -1
    /// Reused between appends so a steady recording allocates nothing per chunk.
    private var integerSamples: [Int16] = []

    /// Creates (or replaces) the file and writes its header, so even a recording killed at once leaves a
    /// readable, empty file.
    ///
    /// - Parameter format: nil takes the format from the extension (.wav, .flac).
    public convenience init(url: URL, sampleRateHz: Int, channelCount: Int, format: SoundFileFormat? = nil) throws {
        try self.init(
            url: url, sampleRateHz: sampleRateHz, channelCount: channelCount, format: format,
            syncIntervalFrames: max(1, sampleRateHz / 2))
    }

    /// A writer that syncs only when closed, for audio made much faster than real time (a rendered lesson): there
    /// a sync every half second of audio costs far more than making the audio, and a crash loses nothing that
    /// cannot be made again. Memory stays flat: samples go to the file as they are appended.
    public static func syncingOnlyAtClose(
        url: URL, sampleRateHz: Int, channelCount: Int, format: SoundFileFormat? = nil
    ) throws -> SoundFileWriter {
        try SoundFileWriter(
            url: url, sampleRateHz: sampleRateHz, channelCount: channelCount, format: format, syncIntervalFrames: nil)
    }

    init(url: URL, sampleRateHz: Int, channelCount: Int, format: SoundFileFormat?, syncIntervalFrames: Int?) throws {
        let path = url.path
        guard let format = format ?? SoundFileFormat(fileExtension: url.pathExtension) else {
            throw SoundFileError.unsupportedExtension(path: path, fileExtension: url.pathExtension)
        }
        guard channelCount > 0 else { throw SoundFileError.noChannels(path: path) }
        guard sampleRateHz > 0 else { throw SoundFileError.invalidSampleRate(path: path, found: sampleRateHz) }
        self.url = url
        self.path = path
        self.format = format
        self.sampleRateHz = sampleRateHz
        self.channelCount = channelCount

        var info = SF_INFO()
        info.samplerate = Int32(clamping: sampleRateHz)
        info.channels = Int32(clamping: channelCount)
        info.format = format.libsndfileFormat
        guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw SoundFileError.cannotCreate(path: path, reason: String(cString: sf_strerror(nil)))
        }
        self.file = file

        // libsndfile writes a FLAC header only with the first samples; ask for it now so that a file killed before
        // then still opens, and make the header and the directory entry durable.
        sf_command(file, Int32(SFC_UPDATE_HEADER_NOW), nil, 0)
        var interval = syncIntervalFrames
        if let requested = syncIntervalFrames {
            syncDescriptor = open(path, O_RDWR | O_CLOEXEC)
            guard syncDescriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                sf_close(file)
                self.file = nil
                throw SoundFileError.cannotCreate(path: path, reason: "opening it again to sync it: \(reason)")
            }
            if format == .flac, let block = Self.readFlacBlockFrames(syncDescriptor) {
                flacBlockFrames = block
                // libFLAC holds back up to block + 1 frames; keep that plus the interval within one second.
                interval = max(max(1, sampleRateHz / 10), min(requested, sampleRateHz - block - 1))
            }
        }
        self.syncIntervalFrames = interval
        if syncIntervalFrames != nil {
            try fsyncFile("syncing the new file's header")
            Self.syncDirectory(of: url)
        }
    }

    deinit {
        // A writer dropped without close() still leaves a complete file; errors have nobody to go to here.
        if let file { sf_close(file) }
        if syncDescriptor >= 0 { Glibc.close(syncDescriptor) }
    }

    /// Appends interleaved samples (a whole number of frames) and syncs when another interval has gone by.
    public func append(_ samples: [Float]) throws {
        guard let file else { throw SoundFileError.writeFailed(path: path, reason: "the writer is already closed") }
        guard samples.count % channelCount == 0 else {
            throw SoundFileError.partialFrame(path: path, sampleCount: samples.count, channelCount: channelCount)
        }
        if samples.isEmpty { return }
        // We convert to 16-bit ourselves rather than let libsndfile do it: libsndfile scales by 32767 when
        // writing but by 1/32768 when reading, which would cost up to 1.5 steps on a round trip; and it wraps
        // instead of clipping unless told otherwise.
        if integerSamples.count < samples.count { integerSamples = [Int16](repeating: 0, count: samples.count) }
        samples.withUnsafeBufferPointer { source in
            integerSamples.withUnsafeMutableBufferPointer { target in
                for index in 0..<source.count {
                    let scaled = source[index] * 32768
                    // Clip rather than wrap; NaN (a bug upstream, not a sound) becomes silence.
                    target[index] = scaled.isNaN ? 0 : Int16(min(max(scaled, -32768), 32767).rounded())
                }
            }
        }
        let frames = samples.count / channelCount
        let framesDone = integerSamples.withUnsafeBufferPointer { buffer in
            sf_writef_short(file, buffer.baseAddress, Int64(frames))
        }
        guard framesDone == Int64(frames) else {
            throw SoundFileError.writeFailed(path: path, reason: String(cString: sf_strerror(file)))
        }
        framesWritten += frames
        if let interval = syncIntervalFrames, framesWritten - framesWrittenAtLastSync >= interval {
            try sync()
        }
    }

    /// Makes everything written so far readable after a crash and durable on disk (see the type's notes).
    public func sync() throws {
        guard let file else { throw SoundFileError.writeFailed(path: path, reason: "the writer is already closed") }
        guard syncDescriptor >= 0 else {
            // A whole file written at once: nothing is readable before close, so only make the data durable.
            sf_write_sync(file)
            return
        }
        // Data first, then the header that claims it: a header must never promise samples that are not on disk.
        try fsyncFile("syncing the samples")
        switch format {
        case .wav:
            sf_command(file, Int32(SFC_UPDATE_HEADER_NOW), nil, 0)
            try fsyncFile("syncing the header")
            framesSynced = framesWritten
        case .flac:
            // Without a STREAMINFO we recognise, the file still reads to its end as a never-closed FLAC file.
            guard let block = flacBlockFrames else { break }
            // libFLAC encodes a block only once it holds one more frame than the block (its look-ahead).
            let framesInCompleteBlocks = max(0, framesWritten - 1) / block * block
            try patchFlacTotalSamples(framesInCompleteBlocks)
            framesSynced = framesInCompleteBlocks
        }
        framesWrittenAtLastSync = framesWritten
    }

    /// Finishes the file (final header, FLAC's STREAMINFO and MD5) and syncs it to disk.
    public func close() throws {
        guard let file else { return }
        self.file = nil
        let status = sf_close(file)
        defer {
            if syncDescriptor >= 0 { Glibc.close(syncDescriptor) }
            syncDescriptor = -1
        }
        guard status == 0 else {
            throw SoundFileError.writeFailed(path: path, reason: String(cString: sf_error_number(status)))
        }
        // sf_close wrote the last frames and the final header; make them durable too.
        if syncDescriptor < 0 { syncDescriptor = open(path, O_RDONLY | O_CLOEXEC) }
        guard syncDescriptor >= 0 else { throw systemError("opening the file to sync it") }
        try fsyncFile("syncing the finished file")
        framesSynced = framesWritten
    }

    /// STREAMINFO layout: "fLaC", a 4-byte block header (type 0, length 34), then min and max block size (16 bits
    /// each), min and max frame size (24 bits each), then 64 bits holding rate (20), channels - 1 (3),
    /// bits - 1 (5) and total samples (36). Returns the block size if the file starts that way with a fixed size.
    private static func readFlacBlockFrames(_ descriptor: Int32) -> Int? {
        var header = [UInt8](repeating: 0, count: 26)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 26, 0) }
        guard count == 26, header[0..<4].elementsEqual("fLaC".utf8), header[4] & 0x7F == 0 else { return nil }
        let minimum = Int(header[8]) << 8 | Int(header[9])
        let maximum = Int(header[10]) << 8 | Int(header[11])
        return minimum == maximum && minimum > 0 ? minimum : nil
    }

    private func patchFlacTotalSamples(_ total: Int) throws {
        // Bytes 18..<26 hold rate, channels, bits and the total; keep the first 28 bits as libFLAC wrote them.
        var field = [UInt8](repeating: 0, count: 8)
        let readCount = field.withUnsafeMutableBytes { pread(syncDescriptor, $0.baseAddress, 8, 18) }
        guard readCount == 8 else { throw systemError("reading the FLAC STREAMINFO to update it") }
        var packed = field.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        packed = packed & ~((UInt64(1) << 36) - 1) | UInt64(total) & ((UInt64(1) << 36) - 1)
        for index in 0..<8 { field[index] = UInt8(truncatingIfNeeded: packed >> (56 - 8 * UInt64(index))) }
        let writeCount = field.withUnsafeBytes { pwrite(syncDescriptor, $0.baseAddress, 8, 18) }
        guard writeCount == 8 else { throw systemError("updating the FLAC STREAMINFO") }
        try fsyncFile("syncing the FLAC STREAMINFO")
    }

    /// fsync flushes the whole file whichever descriptor asks, so ours covers what libsndfile wrote.
    private func fsyncFile(_ doing: String) throws {
        guard fsync(syncDescriptor) == 0 else { throw systemError(doing) }
    }

    private func systemError(_ doing: String) -> SoundFileError {
        SoundFileError.writeFailed(path: path, reason: "\(doing): \(String(cString: strerror(errno)))")
    }

    /// A new file's name is only durable once its directory is synced too.
    private static func syncDirectory(of url: URL) {
        let descriptor = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        Glibc.close(descriptor)
    }
}
