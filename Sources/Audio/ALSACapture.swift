import CALSA
import Foundation
import Logging
import Synchronization
import TutorCore

/// What sets the pace of capture.
public enum CapturePacing: Sendable, Equatable {
    /// The device's own clock: blocking reads return as audio arrives (a real microphone).
    case device
    /// The wall clock: for sources that are not paced, such as a file-backed PCM, to behave like a live mic.
    case realTime
    /// No pacing: read as fast as the source delivers (tests, offline processing).
    case asFastAsPossible
}

/// How long to wait before opening a lost or missing device again.
public struct ReopenBackoff: Sendable, Equatable {
    /// The first wait, in seconds.
    public var initialSeconds = 0.2
    /// The wait doubles after each failure up to this, in seconds, so an unplugged mic costs nothing.
    public var maximumSeconds = 5.0

    /// Creates a backoff; the defaults are 0.2 s doubling to 5 s.
    public init(initialSeconds: Double = 0.2, maximumSeconds: Double = 5.0) {
        self.initialSeconds = initialSeconds
        self.maximumSeconds = maximumSeconds
    }
}

/// Settings for an `ALSACapture`.
public struct CaptureOptions: Sendable {
    /// What to ask the device for; it may give another rate, channel count or format.
    public var request = PCMRequest.default
    /// The rate of the audio in the ring; the Resampler converts from the device rate.
    public var outputSampleRateHz = speechSampleRateHz
    /// How much audio the ring keeps for a slow consumer, in ms; beyond it the oldest is dropped.
    public var ringCapacityMilliseconds = 4_000
    /// What paces the reads.
    public var pacing = CapturePacing.device
    /// Waits between attempts to open a missing or lost device.
    public var reopenBackoff = ReopenBackoff()
    /// For a finite source (a file): its length in device frames. Capture ends there with end-of-stream; after a
    /// reopen, which restarts a file from its beginning, the frames already delivered are skipped.
    public var sourceFrameCount: Int?
    /// Injected transfer failures, for tests.
    public var faults = PCMFaults.none

    /// Creates options with the documented defaults.
    public init() {}

    /// 16 kHz mono from the device's clock, 4 s ring, reopen after 0.2 s doubling to 5 s.
    public static let `default` = CaptureOptions()
}

/// Captures from an ALSA PCM on a dedicated thread into a `CaptureRing` of mono audio at 16 kHz.
///
///     let capture = ALSACapture(source: .device("plughw:1,0"))
///     capture.start()
///     while let chunk = capture.ring.read(upTo: 320, waitingUpTo: 1) { ... }
///
/// The thread blocks in ALSA reads, so it is a `Thread`, never a task on the cooperative pool. It never throws:
/// xruns and suspends are recovered and counted, a lost or missing device is logged and opened again with backoff.
/// Thread safety: call `start` and `stop` from one thread; the ring has its own single consumer.
public final class ALSACapture: @unchecked Sendable {
    /// The PCM captured from.
    public let source: PCMSource
    /// Where captured audio goes, mono at `options.outputSampleRateHz`.
    public let ring: CaptureRing
    /// Drops, overruns, suspends and reopens.
    public let counters: AudioCounters
    /// The settings in use.
    public let options: CaptureOptions

    private let stopRequested = Atomic<Bool>(false)
    private let state = Mutex<SharedState>(SharedState())
    private let finishedSignal = DispatchSemaphore(value: 0)
    private var thread: Thread?
    /// Called once on the capture thread after the last sample went into the ring.
    var onFinish: (@Sendable () -> Void)?

    private struct SharedState {
        var configuration: PCMConfiguration?
        var lastError: ALSAError?
        var finished = false
    }

    /// Creates a capture; nothing is opened until `start`.
    public init(source: PCMSource, options: CaptureOptions = .default, counters: AudioCounters = AudioCounters()) {
        self.source = source
        self.options = options
        self.counters = counters
        self.ring = CaptureRing(
            capacityMilliseconds: options.ringCapacityMilliseconds, sampleRateHz: options.outputSampleRateHz,
            counters: counters)
    }

    /// What the device agreed to, once it is open.
    public var configuration: PCMConfiguration? { state.withLock { $0.configuration } }

    /// The last failure to open the device, if any (cleared by a successful open).
    public var lastError: ALSAError? { state.withLock { $0.lastError } }

    /// True once the capture thread has ended (stopped or end of a finite source).
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Starts the capture thread. A missing device is not an error here: it is logged and retried with backoff.
    public func start() {
        guard thread == nil else { return }
        // Weak: a finished thread would otherwise keep its capture (and its ring) alive through its closure.
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "ALSA capture \(source.name)"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    /// Stops capturing and waits for the thread to end (at most about one period plus a wait slice).
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        guard thread != nil else { return }
        _ = waitUntilFinished(timeoutSeconds: 2)
    }

    /// Waits until the capture thread has ended; false on timeout.
    public func waitUntilFinished(timeoutSeconds: Double) -> Bool {
        if isFinished { return true }
        guard finishedSignal.wait(timeout: .now() + timeoutSeconds) == .success else { return false }
        finishedSignal.signal()  // let later waiters through too
        return true
    }

    /// Records `seconds` of 16 kHz mono from `device`; throws if the device cannot be opened at all.
    ///
    /// For `tutor record`: a one-shot command should say what is wrong rather than wait for a device forever.
    public static func record(
        device: String, seconds: Double, options: CaptureOptions = .default,
        counters: AudioCounters = AudioCounters()
    ) throws(ALSAError) -> MonoAudio {
        let source = PCMSource.device(device)
        // Probe once so a missing device is an error with ALSA's reason instead of a silent retry loop.
        _ = try PCMHandle.open(source, direction: .capture, request: options.request)
        // A day at most, and nothing for a non-positive or NaN length, so no conversion below can trap.
        let seconds = seconds > 0 ? min(seconds, 86_400) : 0
        var options = options
        options.ringCapacityMilliseconds = max(options.ringCapacityMilliseconds, Int(seconds * 1000) + 1000)
        let capture = ALSACapture(source: source, options: options, counters: counters)
        capture.start()
        let wanted = Int(seconds * Double(options.outputSampleRateHz))
        var samples: [Float] = []
        let deadline = Date(timeIntervalSinceNow: seconds + 10)
        while samples.count < wanted, Date() < deadline {
            guard let chunk = capture.ring.read(upTo: wanted - samples.count, waitingUpTo: 0.5) else { break }
            samples.append(contentsOf: chunk)
        }
        capture.stop()
        return MonoAudio(samples: samples, sampleRateHz: options.outputSampleRateHz)
    }

    private var shouldStop: Bool { stopRequested.load(ordering: .acquiring) }

    /// Sleeps in short slices so a stop request is honoured within about 10 ms.
    private func sleepUnlessStopped(_ seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !shouldStop, Date() < deadline { usleep(10_000) }
    }

    private func run() {
        ALSALog.captureMessagesOnThisThread()
        let logger = ALSALog.logger
        var backoffSeconds = options.reopenBackoff.initialSeconds
        var deliveredFrames = 0  // device frames handed on, across reopens
        var transferIndex = 0
        var hasOpenedBefore = false
        var resampler: Resampler?
        var resamplerInputRate = 0
        var interleaved: [Float] = []
        var mono: [Float] = []
        var output: [Float] = []
        var reachedEnd = false

        outer: while !shouldStop {
            let handle: PCMHandle
            do {
                handle = try PCMHandle.open(source, direction: .capture, request: options.request)
            } catch {
                // An unplugged mic would log every 5 s all day: say it loudly once, then quietly until it changes.
                let repeated = state.withLock { shared in
                    defer { shared.lastError = error }
                    return shared.lastError == error
                }
                logger.log(level: repeated ? .debug : .error, "\(error); retrying in \(backoffSeconds) s")
                sleepUnlessStopped(backoffSeconds)
                backoffSeconds = min(backoffSeconds * 2, options.reopenBackoff.maximumSeconds)
                continue
            }
            let configuration = handle.configuration
            state.withLock {
                $0.configuration = configuration
                $0.lastError = nil
            }
            if hasOpenedBefore {
                counters.addReopen()
                logger.notice("ALSA capture '\(source.name)': reopened")
            }
            hasOpenedBefore = true
            backoffSeconds = options.reopenBackoff.initialSeconds
            if resampler == nil || resamplerInputRate != configuration.sampleRateHz {
                resampler = Resampler(inputRateHz: configuration.sampleRateHz, outputRateHz: options.outputSampleRateHz)
                resamplerInputRate = configuration.sampleRateHz
            }
            if options.sourceFrameCount != nil && deliveredFrames > 0 {
                if !skip(frames: deliveredFrames, on: handle, scratch: &interleaved) { continue outer }
            }
            // Real-time pacing counts from a start that makes the frames already delivered on time.
            let paceStart = Date(timeIntervalSinceNow: -Double(deliveredFrames) / Double(configuration.sampleRateHz))

            while !shouldStop {
                var frames = configuration.periodFrames
                if let total = options.sourceFrameCount {
                    frames = min(frames, total - deliveredFrames)
                    if frames <= 0 {
                        reachedEnd = true
                        break outer
                    }
                }
                switch options.pacing {
                case .realTime:
                    let due = paceStart.addingTimeInterval(Double(deliveredFrames) / Double(configuration.sampleRateHz))
                    let wait = due.timeIntervalSinceNow
                    if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
                case .device:
                    // A real device never runs ahead of the wall clock by more than its buffer; `null` and other
                    // unpaced PCMs would, and would spin a core, so hold them to real time too.
                    let ahead =
                        Double(deliveredFrames) / Double(configuration.sampleRateHz)
                        - Date().timeIntervalSince(paceStart)
                    let slack = Double(configuration.bufferFrames) / Double(configuration.sampleRateHz)
                    if ahead > slack { usleep(UInt32((ahead - slack / 2) * 1_000_000)) }
                    // Wait with a timeout first so a stop request is seen even when a device delivers nothing.
                    let ready = handle.wait(milliseconds: 200)
                    if ready == 0 { continue }
                case .asFastAsPossible:
                    break
                }
                let injected = options.faults.beforeTransfer(transferIndex)
                transferIndex += 1
                let result = handle.read(frames: frames, into: &interleaved, injected: injected)
                if result > 0 {
                    deliveredFrames += result
                    deliver(
                        interleaved, channels: configuration.channelCount, resampler: &resampler!, mono: &mono,
                        output: &output)
                    continue
                }
                if result == 0 { continue }
                switch handle.recover(from: Int32(result), counters: counters, shouldGiveUp: { shouldStop }) {
                case .recovered:
                    continue
                case .lost(let code):
                    let reason = "\(alsaReason(code)) (\(code))"
                    logger.error("ALSA capture device '\(source.name)': lost: \(reason); retry in \(backoffSeconds) s")
                    handle.close()
                    sleepUnlessStopped(backoffSeconds)
                    backoffSeconds = min(backoffSeconds * 2, options.reopenBackoff.maximumSeconds)
                    continue outer
                }
            }
        }
        if reachedEnd, var last = resampler {
            output.removeAll(keepingCapacity: true)
            last.flush(into: &output)
            ring.write(output)
        }
        ring.finish()
        // Clean up before anyone waiting on `isFinished` or `waitUntilFinished` is let through.
        onFinish?()
        state.withLock { $0.finished = true }
        finishedSignal.signal()
    }

    /// Reads and discards `frames` frames: a reopened file source starts again at its beginning.
    private func skip(frames: Int, on handle: PCMHandle, scratch: inout [Float]) -> Bool {
        var remaining = frames
        while remaining > 0 && !shouldStop {
            let result = handle.read(
                frames: min(remaining, handle.configuration.periodFrames), into: &scratch,
                injected: nil)
            if result <= 0 { return false }
            remaining -= result
        }
        return remaining == 0
    }

    /// Mixes one period to mono, resamples it to the output rate and hands it to the ring.
    private func deliver(
        _ interleaved: [Float], channels: Int, resampler: inout Resampler, mono: inout [Float],
        output: inout [Float]
    ) {
        mono.removeAll(keepingCapacity: true)
        if channels == 1 {
            mono.append(contentsOf: interleaved)
        } else {
            let scale = 1 / Float(channels)
            var index = 0
            while index + channels <= interleaved.count {
                var sum: Float = 0
                for channel in 0..<channels { sum += interleaved[index + channel] }
                mono.append(sum * scale)
                index += channels
            }
        }
        output.removeAll(keepingCapacity: true)
        resampler.process(mono, into: &output)
        ring.write(output)
    }
}
