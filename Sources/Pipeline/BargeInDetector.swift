import Audio

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

    /// The defaults above.
    public init() {}
}

/// Decides, window by window, whether the child is speaking over the box: speech from the detector, loud enough
/// not to be the box's own voice coming back.
///
/// Reference-aware: each window's level is compared with the loudest level the box played around that time. A
/// stage without threads or I/O: the listening loop gives it the reference level. Not thread-safe.
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
    public mutating func process(_ window: UnsafeBufferPointer<Float>, referenceLevelDecibels: Float?) -> Bool {
        let probability = detector.speechProbability(window)
        var isChild = probability >= options.speechThreshold
        if isChild, let reference = referenceLevelDecibels {
            let level = EnergyVAD.levelDecibels(window, count: window.count)
            if level < reference - options.echoMarginDecibels {
                isChild = false
                echoWindows += 1
            }
        }
        recent.append(isChild)
        if recent.count > requiredWindows + 1 { recent.removeFirst() }
        speechWindows = recent.filter { $0 }.count
        return isChild && speechWindows >= requiredWindows
    }

    /// The window count `process` needs in a row before it answers true.
    public var windowsToTrigger: Int { requiredWindows }

    /// Forgets the run of speech and the detector's state.
    public mutating func reset() {
        speechWindows = 0
        recent.removeAll()
        detector.reset()
    }
}
