import Foundation
import Logging
import TutorCore

/// Plays recorded audio into ALSA's real capture path, as if a child were speaking into a microphone.
///
///     let mic = try VirtualMicrophone(audio: question, pacing: .realTime)
///     mic.start()
///     while let chunk = mic.ring.read(upTo: 320, waitingUpTo: 1) { ... }   // nil at the end of the file
///
/// The audio is written as raw S16_LE to a temporary file and opened as an ALSA `type file` PCM over `null`
/// (`infile`, `format raw`) from an in-memory configuration, then captured by `ALSACapture`, the same code as a
/// real microphone. That PCM is not paced and never ends: past the file, reads succeed but leave the buffer
/// untouched. So the capture paces itself by the wall clock (or not at all) and stops after exactly the file's
/// frames. The temporary file is removed when capture ends.
public final class VirtualMicrophone: @unchecked Sendable {
    /// The capture reading the file-backed PCM.
    public let capture: ALSACapture
    /// The file's raw samples on disk while capture runs.
    public let rawFileURL: URL

    /// Where the captured audio appears, mono at 16 kHz; end-of-stream after the file's last frame.
    public var ring: CaptureRing { capture.ring }
    /// Drops, xruns and reopens of the capture.
    public var counters: AudioCounters { capture.counters }

    /// Writes `audio` (any rate and channel count) to a temporary raw file and prepares its capture.
    ///
    /// `options.pacing` is replaced by `pacing`, and the request by the file's own rate, channels and S16_LE.
    public init(
        audio: InterleavedAudio, pacing: CapturePacing = .realTime, options: CaptureOptions = .default,
        counters: AudioCounters = AudioCounters()
    ) throws {
        guard audio.sampleRateHz > 0 else {
            throw ALSAError.cannotConfigure(
                device: "voicetutor_mic", direction: .capture, parameter: "rate",
                expected: "a positive rate, got \(audio.sampleRateHz) Hz", code: -EINVAL)
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("voicetutor-mic-\(UUID().uuidString).raw")
        var bytes: [UInt8] = []
        SampleConversion.encode(audio.samples[...], format: .s16LE, into: &bytes)
        try Data(bytes).write(to: url)
        rawFileURL = url

        var options = options
        options.pacing = pacing == .device ? .realTime : pacing
        options.request = PCMRequest(
            sampleRateHz: audio.sampleRateHz, channelCount: audio.channelCount, formats: [.s16LE],
            periodMilliseconds: options.request.periodMilliseconds, periodsPerBuffer: options.request.periodsPerBuffer)
        options.sourceFrameCount = audio.frameCount
        let quotedPath = url.path.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        // The file plugin reads from `infile` into whatever the slave captured; `null` captures nothing, so the
        // file's bytes are the audio. `file` is where played audio would go: nowhere.
        let configuration = """
            pcm.voicetutor_mic {
                type file
                slave.pcm { type null }
                file "/dev/null"
                infile "\(quotedPath)"
                format raw
            }
            """
        capture = ALSACapture(
            source: .configured(name: "voicetutor_mic", configuration: configuration), options: options,
            counters: counters)
        capture.onFinish = { [url] in try? FileManager.default.removeItem(at: url) }
    }

    deinit {
        capture.stop()
        try? FileManager.default.removeItem(at: rawFileURL)
    }

    /// Starts playing the file into the capture path.
    public func start() { capture.start() }

    /// Stops early; the temporary file is removed.
    public func stop() {
        capture.stop()
        try? FileManager.default.removeItem(at: rawFileURL)
    }

    /// Plays `audio` through the capture path and returns all of it as 16 kHz mono; for `tutor record --mic-file`.
    public static func capture(
        _ audio: InterleavedAudio, pacing: CapturePacing = .asFastAsPossible,
        options: CaptureOptions = .default,
        counters: AudioCounters = AudioCounters()
    ) throws -> MonoAudio {
        var options = options
        // The whole file must fit: nobody reads while it plays.
        let seconds = Double(audio.frameCount) / Double(max(audio.sampleRateHz, 1))
        options.ringCapacityMilliseconds = max(options.ringCapacityMilliseconds, Int(seconds * 1000) + 1000)
        let microphone = try VirtualMicrophone(audio: audio, pacing: pacing, options: options, counters: counters)
        microphone.start()
        let samples = microphone.ring.readToEnd(idleTimeoutSeconds: 5)
        microphone.stop()
        return MonoAudio(samples: samples, sampleRateHz: options.outputSampleRateHz)
    }
}
