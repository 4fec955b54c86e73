/// A voice as lesson rendering sees it: text in a style becomes audio, handed over a chunk at a time.
///
/// The command line implements it with the formant synthesizer; Lessons never imports a stage.
public protocol LessonSpeaking {
    /// The rate of the samples `speak` produces, Hz.
    var sampleRateHz: Int { get }
    /// Speaks `text` in `style`, passing each chunk of mono samples to `emit` as soon as it is rendered.
    mutating func speak(_ text: String, style: LessonSpeechStyle, emit: ([Float]) throws -> Void) throws
}

/// How far a render has got.
public struct LessonRenderProgress: Sendable, Equatable {
    /// Spoken characters rendered so far, of `totalCharacters`.
    public var doneCharacters: Int
    public var totalCharacters: Int
    /// Audio written so far, seconds.
    public var audioSeconds: Double

    /// The share done, in [0, 1].
    public var fraction: Double { totalCharacters == 0 ? 1 : Double(doneCharacters) / Double(totalCharacters) }
}

/// Renders a parsed script through a voice, streaming: each chunk goes to `write` as soon as it exists, so memory
/// stays flat however long the lesson is.
///
/// Not thread-safe; render one script at a time on one thread.
public struct LessonRenderer<Voice: LessonSpeaking> {
    /// The voice speaking the script.
    public var voice: Voice
    /// Samples of silence written per call while pausing: 0.1 s keeps writes small without many calls.
    var pauseChunkSeconds = 0.1

    /// A renderer speaking with `voice`.
    public init(voice: Voice) { self.voice = voice }

    /// Speaks every item of `script` in order; returns the seconds of audio written.
    ///
    /// - Parameters:
    ///   - write: receives mono samples at `voice.sampleRateHz`, in order; a throw stops the render.
    ///   - progress: called after each item.
    @discardableResult
    public mutating func render(
        _ script: LessonScript, write: ([Float]) throws -> Void, progress: (LessonRenderProgress) -> Void = { _ in }
    ) throws -> Double {
        let rate = voice.sampleRateHz
        var state = LessonRenderProgress(
            doneCharacters: 0, totalCharacters: script.spokenCharacterCount, audioSeconds: 0)
        var samplesWritten = 0
        func emit(_ samples: [Float]) throws {
            try write(samples)
            samplesWritten += samples.count
        }
        for item in script.items {
            switch item.part {
            case .speech(let text, let style):
                try voice.speak(text, style: style, emit: emit)
                state.doneCharacters += text.count
            case .pause(let seconds):
                var remaining = Int((seconds * Double(rate)).rounded())
                let chunk = [Float](repeating: 0, count: max(1, Int(pauseChunkSeconds * Double(rate))))
                while remaining > 0 {
                    let count = min(remaining, chunk.count)
                    try emit(count == chunk.count ? chunk : Array(chunk[..<count]))
                    remaining -= count
                }
            }
            state.audioSeconds = Double(samplesWritten) / Double(rate)
            progress(state)
        }
        return Double(samplesWritten) / Double(rate)
    }
}
