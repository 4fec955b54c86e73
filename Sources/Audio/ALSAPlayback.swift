import CALSA
import Foundation
import Logging
import Synchronization
import TutorCore

/// Settings for an `ALSAPlayback`.
public struct PlaybackOptions: Sendable {
    /// What to ask the device for; it may give another rate, channel count or format.
    public var request = PCMRequest.default
    /// Audio queued ahead of the device, in ms; a producer with more waits (answer audio is never dropped).
    public var queueCapacityMilliseconds = 2_000
    /// Waits between attempts to open a missing or lost device.
    public var reopenBackoff = ReopenBackoff()
    /// Injected transfer failures, for tests.
    public var faults = PCMFaults.none
    /// Never run ahead of the wall clock by more than the device buffer. A real speaker paces itself; `null` and
    /// other unpaced PCMs would swallow an answer at once, which hides what barge-in and timing tests measure.
    /// Turn off only to make tests on `null` fast.
    public var holdsUnpacedDevicesToRealTime = true

    /// Creates options with the documented defaults.
    public init() {}

    /// 16 kHz mono asked for, 2 s queue, reopen after 0.2 s doubling to 5 s.
    public static let `default` = PlaybackOptions()
}

/// Plays mono audio at any rate to an ALSA PCM from a dedicated thread fed by a bounded queue.
///
///     let speaker = ALSAPlayback(device: .device("default"))
///     speaker.start()
///     speaker.play(sentenceAudio)        // waits while the queue is full
///     speaker.flush()                    // barge-in: silent within about one period
///
/// Audio is resampled to the device rate and copied to every device channel on the playback thread. Underruns and
/// suspends are recovered and counted; a lost device is reopened with backoff while queued audio waits.
/// Thread safety: `play` from one producer thread; `flush`, `stop` and `waitUntilPlayed` from any thread.
public final class ALSAPlayback: @unchecked Sendable {
    /// The PCM played to.
    public let device: PCMSource
    /// Underruns, suspends and reopens.
    public let counters: AudioCounters
    /// The settings in use.
    public let options: PlaybackOptions

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [MonoAudio] = []
    private var queuedSeconds = 0.0
    private var threadHoldsAudio = false
    private var flushGeneration = 0
    private var stopping = false
    private var finished = false
    private var configurationStorage: PCMConfiguration?
    private var lastErrorStorage: ALSAError?

    private let playedFramesStorage = Atomic<Int>(0)
    private var thread: Thread?

    /// Creates a playback; nothing is opened until `start`.
    public init(device: PCMSource, options: PlaybackOptions = .default, counters: AudioCounters = AudioCounters()) {
        self.device = device
        self.options = options
        self.counters = counters
    }

    /// What the device agreed to, once it is open.
    public var configuration: PCMConfiguration? { locked { configurationStorage } }

    /// The last failure to open the device, if any (cleared by a successful open).
    public var lastError: ALSAError? { locked { lastErrorStorage } }

    /// Device frames handed to ALSA so far.
    public var playedFrames: Int { playedFramesStorage.load(ordering: .relaxed) }

    /// Starts the playback thread. A missing device is logged and retried with backoff.
    public func start() {
        guard thread == nil else { return }
        let thread = Thread { [self] in run() }
        thread.name = "ALSA playback \(device.name)"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    /// Queues `audio`, waiting while the queue is full; false if playback was stopped meanwhile.
    @discardableResult
    public func play(_ audio: MonoAudio) -> Bool {
        guard audio.sampleRateHz > 0 else {
            let rate = audio.sampleRateHz
            ALSALog.logger.error("ALSA playback device '\(device.name)': audio at \(rate) Hz, expected a positive rate")
            return false
        }
        // Queue in pieces of 100 ms so a long answer waits for room piece by piece instead of overfilling the queue.
        let pieceFrames = max(1, audio.sampleRateHz / 10)
        let capacitySeconds = Double(options.queueCapacityMilliseconds) / 1000
        var start = 0
        while start < audio.samples.count {
            let end = min(start + pieceFrames, audio.samples.count)
            let piece = MonoAudio(samples: Array(audio.samples[start..<end]), sampleRateHz: audio.sampleRateHz)
            condition.lock()
            while !stopping && !queue.isEmpty && queuedSeconds + piece.durationSeconds > capacitySeconds {
                condition.wait()
            }
            if stopping {
                condition.unlock()
                return false
            }
            queue.append(piece)
            queuedSeconds += piece.durationSeconds
            condition.unlock()
            condition.broadcast()
            start = end
        }
        return true
    }

    /// Waits until everything queued has been played out by the device; false on timeout or stop.
    public func waitUntilPlayed(timeoutSeconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopping && (!queue.isEmpty || threadHoldsAudio) {
            if !condition.wait(until: deadline) { return false }
        }
        return !stopping
    }

    /// Barge-in: drops queued audio and what the device still holds; playback goes on with the next `play`.
    public func flush() {
        condition.lock()
        queue.removeAll()
        queuedSeconds = 0
        flushGeneration += 1
        condition.unlock()
        condition.broadcast()
    }

    /// Drops all queued audio, silences the device and ends the thread; returns within about one period.
    public func stop() {
        condition.lock()
        stopping = true
        queue.removeAll()
        queuedSeconds = 0
        flushGeneration += 1
        condition.unlock()
        condition.broadcast()
        guard thread != nil else { return }
        let deadline = Date(timeIntervalSinceNow: 2)
        condition.lock()
        while !finished, condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Plays `audio` to `device` and returns when the device has played it; for `tutor play`.
    ///
    /// Throws if the device cannot be opened at all: a one-shot command should say what is wrong (naming the device
    /// and ALSA's reason) rather than wait for a speaker forever. Returns the device frames played.
    @discardableResult
    public static func playToEnd(
        _ audio: MonoAudio, device: String, options: PlaybackOptions = .default,
        counters: AudioCounters = AudioCounters()
    ) throws(ALSAError) -> Int {
        let source = PCMSource.device(device)
        _ = try PCMHandle.open(source, direction: .playback, request: options.request)
        let playback = ALSAPlayback(device: source, options: options, counters: counters)
        playback.start()
        playback.play(audio)
        _ = playback.waitUntilPlayed(timeoutSeconds: audio.durationSeconds + 10)
        playback.stop()
        return playback.playedFrames
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    private var isStopping: Bool { locked { stopping } }

    private func sleepUnlessStopped(_ seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !stopping, condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Sleeps unless a stop or a flush (a new generation) comes first.
    private func sleepUnlessInterrupted(_ seconds: Double, generation: Int) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while !stopping, flushGeneration == generation, condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Takes the next queued piece, waiting up to 50 ms; nil if none (or stopping).
    private func nextPiece() -> (MonoAudio, generation: Int)? {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty && !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05)) }
        guard !stopping, !queue.isEmpty else { return nil }
        let piece = queue.removeFirst()
        queuedSeconds = max(0, queuedSeconds - piece.durationSeconds)
        threadHoldsAudio = true
        condition.broadcast()  // room for a waiting producer
        return (piece, flushGeneration)
    }

    private func releasePiece() {
        condition.lock()
        threadHoldsAudio = false
        condition.unlock()
        condition.broadcast()
    }

    private func run() {
        ALSALog.captureMessagesOnThisThread()
        let logger = ALSALog.logger
        var backoffSeconds = options.reopenBackoff.initialSeconds
        var transferIndex = 0
        var hasOpenedBefore = false
        var pending: [Float] = []  // mono at the device rate, not yet written; kept across a reopen
        var pendingRateHz = 0
        var interleaved: [Float] = []
        var pendingGeneration = 0
        var seenGeneration = 0
        var resampler: Resampler?
        var resamplerRates = (input: 0, output: 0)
        var resamplerHoldsInput = false  // the filter keeps its last few input samples until flushed

        outer: while !isStopping {
            let handle: PCMHandle
            do {
                handle = try PCMHandle.open(device, direction: .playback, request: options.request)
            } catch {
                let repeated = locked {
                    defer { lastErrorStorage = error }
                    return lastErrorStorage == error
                }
                logger.log(level: repeated ? .debug : .error, "\(error); retrying in \(backoffSeconds) s")
                sleepUnlessStopped(backoffSeconds)
                backoffSeconds = min(backoffSeconds * 2, options.reopenBackoff.maximumSeconds)
                continue
            }
            let configuration = handle.configuration
            locked {
                configurationStorage = configuration
                lastErrorStorage = nil
            }
            if hasOpenedBefore {
                counters.addReopen()
                logger.notice("ALSA playback '\(device.name)': reopened")
            }
            hasOpenedBefore = true
            backoffSeconds = options.reopenBackoff.initialSeconds
            // A device that comes back at another rate cannot take what was resampled for the old one.
            if !pending.isEmpty && pendingRateHz != configuration.sampleRateHz {
                logger.notice("ALSA playback '\(device.name)': rate changed on reopen; \(pending.count) frames skipped")
                pending.removeAll()
            }
            pendingRateHz = configuration.sampleRateHz
            let channels = configuration.channelCount
            let rateHz = Double(configuration.sampleRateHz)
            let bufferSeconds = Double(configuration.bufferFrames) / rateHz
            // Frames written since the stream last started; the wall-clock hold measures against it.
            var streamFrames = 0
            var streamStart = Date()

            while !isStopping {
                let generation = locked { flushGeneration }
                if generation != seenGeneration {
                    seenGeneration = generation
                    handle.dropPending()
                    streamFrames = 0
                    resampler?.reset()
                    resamplerHoldsInput = false
                    if pendingGeneration != generation { pending.removeAll() }
                }
                if pending.isEmpty {
                    guard let (piece, pieceGeneration) = nextPiece() else {
                        // The queue ran dry: the end of an answer. Play the filter's tail too, or the last
                        // milliseconds of every answer would be cut.
                        if resamplerHoldsInput, var tail = resampler {
                            tail.flush(into: &pending)
                            tail.reset()
                            resampler = tail
                            resamplerHoldsInput = false
                            if !pending.isEmpty { continue }
                        }
                        // Nothing queued: let the device play out what it holds, so the end of an answer is not
                        // counted as an underrun, then tell `waitUntilPlayed` it is done.
                        if locked({ threadHoldsAudio }) {
                            handle.drainPending()
                            streamFrames = 0
                            releasePiece()
                        }
                        continue
                    }
                    pendingGeneration = pieceGeneration
                    if resampler == nil || resamplerRates != (piece.sampleRateHz, configuration.sampleRateHz) {
                        resampler = Resampler(inputRateHz: piece.sampleRateHz, outputRateHz: configuration.sampleRateHz)
                        resamplerRates = (piece.sampleRateHz, configuration.sampleRateHz)
                    }
                    resampler!.process(piece.samples, into: &pending)
                    resamplerHoldsInput = true
                    if pendingGeneration != locked({ flushGeneration }) { pending.removeAll() }
                    continue
                }
                // One period at a time, so a flush or stop is seen within about one period.
                let frames = min(configuration.periodFrames, pending.count)
                interleaved.removeAll(keepingCapacity: true)
                for sample in pending[..<frames] {
                    for _ in 0..<channels { interleaved.append(sample) }
                }
                if options.holdsUnpacedDevicesToRealTime {
                    if streamFrames == 0 { streamStart = Date() }
                    let ahead = Double(streamFrames) / rateHz - Date().timeIntervalSince(streamStart)
                    if ahead > bufferSeconds {
                        sleepUnlessInterrupted(ahead - bufferSeconds, generation: seenGeneration)
                        continue  // a flush or stop may have come meanwhile
                    }
                }
                let injected = options.faults.beforeTransfer(transferIndex)
                transferIndex += 1
                let result = handle.write(interleaved[...], injected: injected)
                if result > 0 {
                    streamFrames += result
                    pending.removeFirst(min(result, pending.count))
                    playedFramesStorage.add(result, ordering: .relaxed)
                    continue
                }
                if result == 0 { continue }
                switch handle.recover(from: Int32(result), counters: counters, shouldGiveUp: { isStopping }) {
                case .recovered:
                    continue
                case .lost(let code):
                    let reason = "\(alsaReason(code)) (\(code))"
                    logger.error("ALSA playback device '\(device.name)': lost: \(reason); retry in \(backoffSeconds) s")
                    handle.close()
                    sleepUnlessStopped(backoffSeconds)
                    backoffSeconds = min(backoffSeconds * 2, options.reopenBackoff.maximumSeconds)
                    continue outer
                }
            }
            handle.dropPending()
        }
        condition.lock()
        finished = true
        threadHoldsAudio = false
        condition.unlock()
        condition.broadcast()
    }
}
