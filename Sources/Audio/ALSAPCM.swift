import CALSA
import Foundation
import Logging
import TutorCore

/// Where a PCM comes from: a name ALSA already knows, or an in-memory configuration that defines one.
public struct PCMSource: Sendable, Equatable, CustomStringConvertible {
    /// The PCM name: `default`, `hw:1,0`, `plughw:1,0`, `null`, or the name the configuration defines.
    public var name: String
    /// ALSA configuration text defining `name` (for example a `type file` PCM); nil for ALSA's own devices.
    public var configuration: String?

    /// Creates a source for a PCM that ALSA's configuration already knows.
    public static func device(_ name: String) -> PCMSource { PCMSource(name: name, configuration: nil) }

    /// Creates a source for a PCM defined by in-memory configuration text, opened with `snd_pcm_open_lconf`.
    public static func configured(name: String, configuration: String) -> PCMSource {
        PCMSource(name: name, configuration: configuration)
    }

    /// The PCM name, as messages show it.
    public var description: String { name }
}

/// A sample format the Audio module can convert to and from `Float`.
public enum PCMSampleFormat: String, Sendable, Equatable, CaseIterable {
    /// Signed 16-bit little-endian: what nearly every microphone offers.
    case s16LE = "S16_LE"
    /// Signed 32-bit little-endian: some USB microphones offer only this.
    case s32LE = "S32_LE"
    /// 32-bit float little-endian.
    case floatLE = "FLOAT_LE"
    /// Signed 24-bit little-endian packed in 3 bytes: some USB audio interfaces.
    case s24LE3 = "S24_3LE"

    /// Bytes one sample of one channel takes.
    public var bytesPerSample: Int {
        switch self {
        case .s16LE: 2
        case .s32LE, .floatLE: 4
        case .s24LE3: 3
        }
    }

    var alsaFormat: snd_pcm_format_t {
        switch self {
        case .s16LE: SND_PCM_FORMAT_S16_LE
        case .s32LE: SND_PCM_FORMAT_S32_LE
        case .floatLE: SND_PCM_FORMAT_FLOAT_LE
        case .s24LE3: SND_PCM_FORMAT_S24_3LE
        }
    }
}

/// What we ask a PCM for. The device may offer something else; `PCMConfiguration` says what it gave.
public struct PCMRequest: Sendable, Equatable {
    /// Wanted frames per second; the nearest the device offers is accepted.
    public var sampleRateHz = speechSampleRateHz
    /// Wanted channels; the nearest the device offers is accepted (capture mixes to mono, playback duplicates).
    public var channelCount = 1
    /// Sample formats in order of preference; the first one the device accepts is used.
    public var formats: [PCMSampleFormat] = [.s16LE, .s32LE, .floatLE, .s24LE3]
    /// Frames per transfer, in ms. 20 ms keeps latency low without waking the thread too often on a Pi.
    public var periodMilliseconds = 20
    /// Device buffer in periods. Four to eight ride out scheduling hiccups on a loaded two-core box.
    public var periodsPerBuffer = 4

    /// Creates a request; every parameter has the documented default.
    public init(
        sampleRateHz: Int = speechSampleRateHz, channelCount: Int = 1,
        formats: [PCMSampleFormat] = [.s16LE, .s32LE, .floatLE, .s24LE3],
        periodMilliseconds: Int = 20, periodsPerBuffer: Int = 4
    ) {
        self.sampleRateHz = sampleRateHz
        self.channelCount = channelCount
        self.formats = formats
        self.periodMilliseconds = periodMilliseconds
        self.periodsPerBuffer = periodsPerBuffer
    }

    /// 16 kHz mono S16, 20 ms periods, 4 periods: what speech needs.
    public static let `default` = PCMRequest()
}

/// What a PCM agreed to after negotiation.
public struct PCMConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The sample format in use.
    public var format: PCMSampleFormat
    /// Frames per second the device runs at.
    public var sampleRateHz: Int
    /// Channels per frame.
    public var channelCount: Int
    /// Frames per period (one transfer).
    public var periodFrames: Int
    /// Frames the device buffer holds.
    public var bufferFrames: Int

    /// "S16_LE 48000 Hz 2 ch, period 960 frames (20 ms), buffer 3840 frames (80 ms)".
    public var description: String {
        let periodMs = periodFrames * 1000 / max(sampleRateHz, 1)
        let bufferMs = bufferFrames * 1000 / max(sampleRateHz, 1)
        return "\(format.rawValue) \(sampleRateHz) Hz \(channelCount) ch, "
            + "period \(periodFrames) frames (\(periodMs) ms), buffer \(bufferFrames) frames (\(bufferMs) ms)"
    }
}

/// A seam before every `snd_pcm_readi`/`snd_pcm_writei` so tests can make the device fail on cue.
///
/// The closure gets the transfer's index (0, 1, 2 ... across reopens of one capture or playback) and returns an
/// ALSA error code (negative errno) to report instead of calling ALSA, or nil to make the real call.
public struct PCMFaults: Sendable {
    /// Consulted before each transfer; nil means make the real ALSA call.
    public var beforeTransfer: @Sendable (Int) -> Int32?

    /// Creates faults from a closure over the transfer index.
    public init(beforeTransfer: @escaping @Sendable (Int) -> Int32?) { self.beforeTransfer = beforeTransfer }

    /// No faults: every transfer goes to ALSA.
    public static let none = PCMFaults { _ in nil }

    /// Fails the given transfers with the given codes, for example `[3: -EPIPE]`.
    public static func failing(_ codes: [Int: Int32]) -> PCMFaults { PCMFaults { codes[$0] } }
}

/// What to do after a transfer failed.
enum PCMRecovery: Equatable {
    /// The stream was prepared again; go on.
    case recovered
    /// The device is gone or broken: close it and open it again.
    case lost(code: Int32)
}

/// One open ALSA PCM with its negotiated configuration. Belongs to one thread.
///
/// Converts between the device's interleaved integer or float samples and `Float` in [-1, 1].
final class PCMHandle {
    let source: PCMSource
    let direction: PCMDirection
    let configuration: PCMConfiguration
    private var pcm: OpaquePointer?
    private var localConfig: OpaquePointer?
    private var bytes: [UInt8] = []

    private init(
        source: PCMSource, direction: PCMDirection, pcm: OpaquePointer, localConfig: OpaquePointer?,
        configuration: PCMConfiguration
    ) {
        self.source = source
        self.direction = direction
        self.pcm = pcm
        self.localConfig = localConfig
        self.configuration = configuration
    }

    deinit { close() }

    /// Closes the PCM; later transfers report -EBADFD.
    func close() {
        if let pcm { snd_pcm_close(pcm) }
        pcm = nil
        if let localConfig { snd_config_delete(localConfig) }
        localConfig = nil
    }

    /// Opens `source` and negotiates the nearest configuration to `request`; logs one line of what was agreed.
    static func open(
        _ source: PCMSource, direction: PCMDirection, request: PCMRequest
    ) throws(ALSAError)
        -> PCMHandle
    {
        ALSALog.captureMessagesOnThisThread()
        var pcm: OpaquePointer?
        var localConfig: OpaquePointer?
        if let text = source.configuration {
            localConfig = try loadConfiguration(text, source: source, direction: direction)
            let code = snd_pcm_open_lconf(&pcm, source.name, direction.alsaStream, 0, localConfig)
            if code < 0 {
                snd_config_delete(localConfig)
                throw .cannotOpen(device: source.name, direction: direction, code: code)
            }
        } else {
            let code = snd_pcm_open(&pcm, source.name, direction.alsaStream, 0)
            if code < 0 { throw .cannotOpen(device: source.name, direction: direction, code: code) }
        }
        guard let pcm else { throw .cannotOpen(device: source.name, direction: direction, code: -ENODEV) }
        do {
            let configuration = try negotiate(pcm, source: source, direction: direction, request: request)
            ALSALog.logger.info("ALSA \(direction.rawValue) '\(source.name)': \(configuration)")
            return PCMHandle(
                source: source, direction: direction, pcm: pcm, localConfig: localConfig, configuration: configuration)
        } catch {
            snd_pcm_close(pcm)
            if let localConfig { snd_config_delete(localConfig) }
            throw error
        }
    }

    private static func loadConfiguration(
        _ text: String, source: PCMSource, direction: PCMDirection
    )
        throws(ALSAError) -> OpaquePointer?
    {
        var config: OpaquePointer?
        var code = snd_config_top(&config)
        guard code >= 0, let config else {
            throw .badConfiguration(device: source.name, direction: direction, code: code)
        }
        var input: OpaquePointer?
        code = text.withCString { snd_input_buffer_open(&input, $0, -1) }
        if code >= 0, let input {
            code = snd_config_load(config, input)
            snd_input_close(input)
        }
        if code < 0 {
            snd_config_delete(config)
            throw .badConfiguration(device: source.name, direction: direction, code: code)
        }
        return config
    }

    private static func negotiate(
        _ pcm: OpaquePointer, source: PCMSource, direction: PCMDirection,
        request: PCMRequest
    ) throws(ALSAError) -> PCMConfiguration {
        func failed(_ parameter: String, _ expected: String, _ code: Int32) -> ALSAError {
            .cannotConfigure(
                device: source.name, direction: direction, parameter: parameter, expected: expected, code: code)
        }
        var hw: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&hw) >= 0, let hw else { throw failed("hardware parameters", "memory", -ENOMEM) }
        defer { snd_pcm_hw_params_free(hw) }
        var code = snd_pcm_hw_params_any(pcm, hw)
        if code < 0 { throw failed("hardware parameters", "any configuration", code) }
        code = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED)
        if code < 0 { throw failed("access", "interleaved read/write", code) }

        let wantedFormats = request.formats.map(\.rawValue).joined(separator: ", ")
        guard let format = request.formats.first(where: { snd_pcm_hw_params_test_format(pcm, hw, $0.alsaFormat) == 0 })
        else { throw failed("format", "one of \(wantedFormats)", -EINVAL) }
        code = snd_pcm_hw_params_set_format(pcm, hw, format.alsaFormat)
        if code < 0 { throw failed("format", format.rawValue, code) }

        var channels = UInt32(max(request.channelCount, 1))
        code = snd_pcm_hw_params_set_channels_near(pcm, hw, &channels)
        if code < 0 { throw failed("channels", "near \(request.channelCount)", code) }

        var rate = UInt32(max(request.sampleRateHz, 1))
        var direction0: Int32 = 0
        code = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &direction0)
        if code < 0 { throw failed("rate", "near \(request.sampleRateHz) Hz", code) }

        var periodMicroseconds = UInt32(max(request.periodMilliseconds, 1) * 1000)
        code = snd_pcm_hw_params_set_period_time_near(pcm, hw, &periodMicroseconds, &direction0)
        if code < 0 { throw failed("period", "near \(request.periodMilliseconds) ms", code) }
        var periodFrames = snd_pcm_uframes_t(0)
        snd_pcm_hw_params_get_period_size(hw, &periodFrames, &direction0)
        if periodFrames == 0 { periodFrames = snd_pcm_uframes_t(Int(rate) * request.periodMilliseconds / 1000) }

        var bufferFrames = periodFrames * snd_pcm_uframes_t(max(request.periodsPerBuffer, 2))
        code = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &bufferFrames)
        if code < 0 { throw failed("buffer", "near \(request.periodsPerBuffer) periods", code) }

        code = snd_pcm_hw_params(pcm, hw)
        if code < 0 { throw failed("hardware parameters", "the negotiated set", code) }
        snd_pcm_hw_params_get_period_size(hw, &periodFrames, &direction0)
        snd_pcm_hw_params_get_buffer_size(hw, &bufferFrames)

        var sw: OpaquePointer?
        guard snd_pcm_sw_params_malloc(&sw) >= 0, let sw else { throw failed("software parameters", "memory", -ENOMEM) }
        defer { snd_pcm_sw_params_free(sw) }
        snd_pcm_sw_params_current(pcm, sw)
        // Capture starts on the first read. Playback starts once two periods are queued: soon enough for the first
        // sentence to be heard at once, late enough that the first write does not underrun straight away.
        let startThreshold = direction == .capture ? 1 : min(bufferFrames, periodFrames * 2)
        snd_pcm_sw_params_set_start_threshold(pcm, sw, startThreshold)
        snd_pcm_sw_params_set_avail_min(pcm, sw, periodFrames)
        code = snd_pcm_sw_params(pcm, sw)
        if code < 0 { throw failed("software parameters", "start threshold and wake-up size", code) }

        code = snd_pcm_prepare(pcm)
        if code < 0 { throw failed("state", "prepared", code) }
        return PCMConfiguration(
            format: format, sampleRateHz: Int(rate), channelCount: Int(channels),
            periodFrames: Int(periodFrames), bufferFrames: Int(bufferFrames))
    }

    /// Waits up to `milliseconds` for the device to be ready; > 0 ready, 0 timed out, < 0 an ALSA error.
    func wait(milliseconds: Int32) -> Int32 {
        guard let pcm else { return -EBADFD }
        return snd_pcm_wait(pcm, milliseconds)
    }

    /// Reads up to `frames` frames as interleaved Float into `output` (replacing its contents).
    ///
    /// Returns frames read, or a negative ALSA error code. `injected` stands in for the ALSA call when not nil.
    func read(frames: Int, into output: inout [Float], injected: Int32?) -> Int {
        if let injected { return Int(injected) }
        guard let pcm else { return Int(-EBADFD) }
        let channels = configuration.channelCount
        let bytesPerFrame = configuration.format.bytesPerSample * channels
        if bytes.count < frames * bytesPerFrame { bytes = [UInt8](repeating: 0, count: frames * bytesPerFrame) }
        let result = bytes.withUnsafeMutableBytes { snd_pcm_readi(pcm, $0.baseAddress, snd_pcm_uframes_t(frames)) }
        guard result > 0 else { return Int(result) }
        let count = Int(result) * channels
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            SampleConversion.appendFloats(from: raw, format: configuration.format, count: count, to: &output)
        }
        return Int(result)
    }

    /// Writes interleaved Float frames; returns frames written or a negative ALSA error code.
    func write(_ samples: ArraySlice<Float>, injected: Int32?) -> Int {
        if let injected { return Int(injected) }
        guard let pcm else { return Int(-EBADFD) }
        let frames = samples.count / configuration.channelCount
        SampleConversion.encode(samples, format: configuration.format, into: &bytes)
        return bytes.withUnsafeBytes { Int(snd_pcm_writei(pcm, $0.baseAddress, snd_pcm_uframes_t(frames))) }
    }

    /// Stops at once, throwing away what the device buffer still holds, and readies the stream for more.
    func dropPending() {
        guard let pcm else { return }
        snd_pcm_drop(pcm)
        snd_pcm_prepare(pcm)
    }

    /// Waits until the device has played everything written.
    func drainPending() {
        guard let pcm else { return }
        snd_pcm_drain(pcm)
        snd_pcm_prepare(pcm)
    }

    /// Recovers from a failed transfer: xruns and suspends are counted and recovered, anything else means lost.
    ///
    /// `shouldGiveUp` lets a stop request end the resume wait of a suspended device.
    func recover(from code: Int32, counters: AudioCounters, shouldGiveUp: () -> Bool) -> PCMRecovery {
        guard let pcm else { return .lost(code: code) }
        switch code {
        case -EAGAIN, -EINTR:
            // Blocking streams should not say "try again"; if one does, pause briefly rather than spin.
            usleep(5_000)
            return .recovered
        case -EPIPE:
            if direction == .capture { counters.addOverrun() } else { counters.addUnderrun() }
            let xrun = direction == .capture ? "overrun" : "underrun"
            ALSALog.logger.notice("ALSA \(direction.rawValue) '\(source.name)': \(xrun), recovering")
            let prepared = snd_pcm_prepare(pcm)
            return prepared < 0 ? .lost(code: prepared) : .recovered
        case -ESTRPIPE:
            counters.addSuspend()
            ALSALog.logger.notice("ALSA \(direction.rawValue) '\(source.name)': suspended, resuming")
            var resumed = snd_pcm_resume(pcm)
            // A suspended device resumes when the system wakes; wait in short sleeps, never spin.
            var waitedMilliseconds = 0
            while resumed == -EAGAIN && waitedMilliseconds < 5_000 && !shouldGiveUp() {
                usleep(20_000)
                waitedMilliseconds += 20
                resumed = snd_pcm_resume(pcm)
            }
            if resumed < 0 {
                let prepared = snd_pcm_prepare(pcm)
                if prepared < 0 { return .lost(code: prepared) }
            }
            return .recovered
        default:
            return .lost(code: code)
        }
    }
}

/// Conversions between device sample formats and Float in [-1, 1].
///
/// Integers are scaled by a power of two both ways (S16: 32768), so 16-bit audio survives a round trip exactly;
/// full-scale positive Float clips to the largest integer.
enum SampleConversion {
    static func appendFloats(
        from raw: UnsafeRawBufferPointer, format: PCMSampleFormat, count: Int,
        to output: inout [Float]
    ) {
        switch format {
        case .s16LE:
            for index in 0..<count {
                let value = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
                output.append(Float(value) / 32_768)
            }
        case .s32LE:
            for index in 0..<count {
                let value = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
                output.append(Float(value) / 2_147_483_648)
            }
        case .floatLE:
            for index in 0..<count {
                let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                output.append(Float(bitPattern: bits))
            }
        case .s24LE3:
            for index in 0..<count {
                let offset = index * 3
                let unsigned = Int32(raw[offset]) | Int32(raw[offset + 1]) << 8 | Int32(raw[offset + 2]) << 16
                let value = (unsigned << 8) >> 8  // sign-extend the 24-bit value
                output.append(Float(value) / 8_388_608)
            }
        }
    }

    static func encode(_ samples: ArraySlice<Float>, format: PCMSampleFormat, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(samples.count * format.bytesPerSample)
        for sample in samples {
            switch format {
            case .s16LE:
                let value = Int16(clamping: Int((sample * 32_768).rounded()))
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            case .s32LE:
                let scaled = (Double(sample) * 2_147_483_648).rounded()
                let value = Int32(clamping: Int64(max(min(scaled, 2_147_483_647), -2_147_483_648)))
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            case .floatLE:
                withUnsafeBytes(of: sample.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case .s24LE3:
                let value = Int32(clamping: Int((sample * 8_388_608).rounded()))
                let clamped = max(min(value, 8_388_607), -8_388_608)
                bytes.append(UInt8(truncatingIfNeeded: clamped))
                bytes.append(UInt8(truncatingIfNeeded: clamped >> 8))
                bytes.append(UInt8(truncatingIfNeeded: clamped >> 16))
            }
        }
    }
}
