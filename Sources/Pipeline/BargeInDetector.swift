import Audio
import Foundation

/// When a microphone window during the box's own speech counts as the child speaking.
public struct BargeInOptions: Sendable, Equatable {
    /// Speech must last this long while the box talks before it stops: a cough or a knock is not a question.
    /// With the 200 ms budget for stopping, at most about 130 ms. One window more may pass between words.
    public var minimumSpeechMilliseconds = 96
    /// A window at or above this speech probability is speech.
    public var speechThreshold: Float = 0.5
    /// The box's voice comes back through the room quieter than it was sent. A microphone window more than this
    /// below the loudest reference level nearby is taken for that echo; a child close to the microphone is louder.
    public var echoMarginDecibels: Float = 7
    /// How far before a microphone window the reference is searched: the echo's delay plus the speaker's buffer.
    public var echoSearchBeforeMilliseconds = 150
    /// How far after it: the handover time of the reference is only known to about a period.
    public var echoSearchAfterMilliseconds = 40
    /// After the answer ends, the room still echoes it this long; the endpointer starts listening after it.
    public var echoTailMilliseconds = 250
    /// With an echo canceller: the cancellation it must be achieving (the microphone over the residual, in the
    /// echo-only windows it leaves most of, its 20th percentile) before its residual is trusted.
    public var minimumCancellationDecibels: Float = 6
    /// With a trusted canceller: a window whose residual is this far above the echo it usually leaves behind is
    /// the child, even when the microphone as a whole is not louder than the box's echo.
    public var residualMarginDecibels: Float = 6
    /// ... and is no more than this far below the box's own level: quieter than that, a child is not heard over
    /// the box anyway, and what the canceller leaves between the box's words is not taken for one.
    public var quietestChildBelowReferenceDecibels: Float = 25

    /// The defaults above.
    public init() {}
}

/// Decides, window by window, whether the child is speaking over the box: speech from the detector, loud enough
/// not to be the box's own voice coming back.
///
/// Reference-aware: each window's level is compared with the loudest level the box played around that time. With an
/// echo canceller in front, the detector hears its residual, and a child quieter than the box's echo still counts
/// when the residual stands out from what the canceller usually leaves of the echo. A stage without threads or
/// I/O: the listening loop gives it the reference level and the canceller's powers. Not thread-safe.
public struct BargeInDetector<Detector: VoiceActivityDetecting> {
    /// The voice activity detector (its own instance: the endpointer's keeps other state).
    public private(set) var detector: Detector
    /// The options, fixed at creation.
    public let options: BargeInOptions
    /// Windows of the child's speech among the last `requiredWindows + 1`.
    public private(set) var speechWindows = 0
    /// Windows judged to be the box's echo since creation (speech, but not loud enough).
    public private(set) var echoWindows = 0

    private let requiredWindows: Int
    private var recent: [Bool] = []  // the last requiredWindows + 1 judgements: one dip between words is allowed
    private var cancellations: [Float] = []  // dB, the canceller's recent echo-only windows
    private let cancellationHistory = 48  // windows: about 1.5 s

    /// A detector over `detector` (which it resets).
    public init(detector: Detector, options: BargeInOptions = BargeInOptions()) {
        self.detector = detector
        self.detector.reset()
        self.options = options
        let windowMilliseconds = max(1, detector.windowSampleCount * 1000 / 16_000)
        requiredWindows = max(1, (options.minimumSpeechMilliseconds + windowMilliseconds - 1) / windowMilliseconds)
    }

    /// Samples per window.
    public var windowSampleCount: Int { detector.windowSampleCount }

    /// Takes one window; true when the child has now spoken long enough over the box to stop it.
    ///
    /// `referenceLevelDecibels` is the loudest level the box played around this window, nil when it was silent.
    /// With an echo canceller, `window` is its residual and `echo` the block's powers; without, `window` is the
    /// microphone.
    public mutating func process(
        _ window: UnsafeBufferPointer<Float>, referenceLevelDecibels: Float?,
        echo: EchoCanceller.BlockPowers? = nil
    ) -> Bool {
        let probability = detector.speechProbability(window)
        var isChild = probability >= options.speechThreshold
        if let reference = referenceLevelDecibels {
            let microphone = echo.map { Self.decibels($0.microphone) } ?? EnergyVAD.levelDecibels(window, count: window.count)
            if isChild {
                isChild =
                    microphone >= reference - options.echoMarginDecibels
                    || standsOutOfResidualEcho(echo, referenceLevelDecibels: reference)
                if !isChild { echoWindows += 1 }
            }
            if !isChild, let echo, Self.decibels(echo.echo) > -80 {
                cancellations.append(microphone - Self.decibels(echo.residual))
                if cancellations.count > cancellationHistory { cancellations.removeFirst() }
            }
        }
        recent.append(isChild)
        if recent.count > requiredWindows + 1 { recent.removeFirst() }
        speechWindows = recent.filter { $0 }.count
        return isChild && speechWindows >= requiredWindows
    }

    /// The cancellation the echo canceller is achieving, in dB: the 20th percentile over its recent echo-only
    /// windows; nil until it has seen eight.
    public var cancellationDecibels: Float? {
        guard cancellations.count >= 8 else { return nil }
        return cancellations.sorted()[cancellations.count / 5]
    }

    /// Whether the residual is well above the echo the canceller usually leaves behind.
    private func standsOutOfResidualEcho(_ echo: EchoCanceller.BlockPowers?, referenceLevelDecibels: Float) -> Bool {
        guard let echo, let cancellation = cancellationDecibels,
            cancellation >= options.minimumCancellationDecibels
        else { return false }
        let residual = Self.decibels(echo.residual)
        let leakage = Self.decibels(echo.echo) - cancellation
        return residual >= leakage + options.residualMarginDecibels
            && residual >= referenceLevelDecibels - options.quietestChildBelowReferenceDecibels
    }

    private static func decibels(_ power: Float) -> Float { 10 * log10f(power + 1e-12) }

    /// The window count `process` needs in a row before it answers true.
    public var windowsToTrigger: Int { requiredWindows }

    /// Forgets the run of speech and the detector's state.
    public mutating func reset() {
        speechWindows = 0
        recent.removeAll()
        detector.reset()
    }

    /// Forgets what the echo canceller achieved (its filter was reset and must converge again).
    public mutating func cancellerReset() {
        cancellations.removeAll()
    }
}
