import Foundation

/// One phrase of a transcript with its time in the recording.
public struct TranscriptSegment: Sendable, Equatable {
    /// Where the phrase starts, in seconds.
    public var startSeconds: Double
    /// Where it ends, in seconds.
    public var endSeconds: Double
    /// What was said, without Whisper's leading space.
    public var text: String
    /// False when the audio ended before the decoder closed the phrase with a timestamp.
    public var isComplete: Bool

    /// A segment from its parts.
    public init(startSeconds: Double, endSeconds: Double, text: String, isComplete: Bool = true) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.text = text
        self.isComplete = isComplete
    }
}

/// Options for a long recording: the windows and what each one is decoded with.
public struct LongTranscriptionOptions: Sendable, Equatable {
    /// Each window's options; `timestamps` is set for every window.
    public var window = TranscriptionOptions.default
    /// The most audio one window holds (Whisper's 30 s; its timestamps reach no further). A window whose peak stays
    /// below `window.silencePeak` is skipped.
    public var windowSeconds: Double = 30

    /// 30-second windows, greedy, timestamps on.
    public static let `default` = LongTranscriptionOptions()

    /// The defaults.
    public init() {}
}

/// A long recording's transcript: its phrases in order, and what each window cost.
public struct LongTranscription: Sendable, Equatable {
    /// Every phrase, times from the start of the recording.
    public var segments: [TranscriptSegment]
    /// The language of the first window with speech (the others are decoded in it).
    public var language: String
    /// The windows decoded (silent ones skipped are not counted).
    public var windowCount: Int
    /// Summed over the windows.
    public var timings: TranscriptionTimings

    /// The phrases joined by spaces.
    public var text: String { segments.map(\.text).filter { !$0.isEmpty }.joined(separator: " ") }
}

extension WhisperRecognizer {
    /// Transcribes a recording of any length (a lesson) in windows of up to 30 seconds with timestamps, as Whisper's
    /// `transcribe` seeks: when a window's last phrase is closed by a timestamp, the next window starts where this
    /// one ended; when the audio ran out mid-phrase, the unfinished phrase is dropped and the next window starts
    /// at its opening timestamp, so it is heard whole once. Windows are encoded over the audio present (a final
    /// short window is not padded). Each window is decoded on its own, without the previous text as a prompt
    /// (Whisper's `condition_on_previous_text` off), which keeps one window's loop from spreading to the next.
    public func transcribeLong(
        _ samples: [Float], options: LongTranscriptionOptions = .default
    ) throws -> LongTranscription {
        let rate = Double(LogMelFrontEnd.sampleRateHz)
        let windowSamples = max(LogMelFrontEnd.hopSize * 2, Int(min(30, options.windowSeconds) * rate))
        var windowOptions = options.window
        windowOptions.timestamps = true
        windowOptions.padToThirtySeconds = false
        var result = LongTranscription(
            segments: [], language: windowOptions.language ?? "en", windowCount: 0,
            timings: TranscriptionTimings())
        result.timings.audioMilliseconds = Double(samples.count) * 1000 / rate
        var seek = 0
        while seek < samples.count {
            let end = min(samples.count, seek + windowSamples)
            let window = Array(samples[seek..<end])
            let offset = Double(seek) / rate
            // Too short for one encoder position, or digital silence: nothing to hear.
            if window.count < LogMelFrontEnd.hopSize * 2
                || (window.lazy.map(abs).max() ?? 0) < windowOptions.silencePeak
            {
                seek = end
                continue
            }
            let heard = try transcribe(window, options: windowOptions)
            result.windowCount += 1
            result.timings.melMilliseconds += heard.timings.melMilliseconds
            result.timings.encoderMilliseconds += heard.timings.encoderMilliseconds
            result.timings.decoderMilliseconds += heard.timings.decoderMilliseconds
            if windowOptions.language == nil && !heard.droppedAsNoSpeech {
                windowOptions.language = heard.language  // keep the first window's language for the rest
                result.language = heard.language
            }
            var segments = heard.segments
            var advance = window.count
            if end < samples.count, let last = segments.last, !last.isComplete, last.startSeconds > 0 {
                // Cut mid-phrase: hear it again from its start in the next window.
                advance = Int(last.startSeconds * rate)
                segments.removeLast()
            }
            for segment in segments where !segment.text.isEmpty {
                result.segments.append(
                    TranscriptSegment(
                        startSeconds: offset + segment.startSeconds,
                        endSeconds: offset + min(segment.endSeconds, Double(window.count) / rate),
                        text: segment.text, isComplete: segment.isComplete))
            }
            seek += max(advance, LogMelFrontEnd.hopSize * 2)
        }
        return result
    }

    /// Whisper's timestamp rules for the next token's `logits` after the text tokens `tokens` (timestamps
    /// included): the first token is a timestamp no later than 1 s; timestamps come in pairs (a phrase's end, then
    /// the next one's start), never go backwards, and a phrase's end is followed by a start or the end of text;
    /// when the timestamps together are likelier than any single text token, a timestamp is written. Over trimmed
    /// audio no timestamp lies past its end: `audioPositions` encoder positions of 20 ms, one timestamp step each.
    func applyTimestampRules(_ logits: inout [Float], after tokens: [Int], audioPositions: Int) {
        let special = model.tokenizer.special
        let begin = special.timestampBegin
        let count = min(logits.count, begin + audioPositions + 1)
        logits[special.noTimestamps] = -.infinity
        for id in count..<logits.count { logits[id] = -.infinity }
        let lastWasTimestamp = tokens.last.map { $0 >= begin } ?? false
        let penultimateWasTimestamp = tokens.count < 2 || tokens[tokens.count - 2] >= begin
        if lastWasTimestamp {
            if penultimateWasTimestamp {
                for id in begin..<count { logits[id] = -.infinity }  // a pair just closed: text must follow
            } else {
                for id in 0..<special.endOfText { logits[id] = -.infinity }  // a phrase ended: a start or the end
            }
        }
        if let lastTimestamp = tokens.last(where: { $0 >= begin }) {
            // Never backwards; a new phrase starts strictly after the previous one ended.
            let earliest = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1
            for id in begin..<min(earliest, count) { logits[id] = -.infinity }
        }
        if tokens.isEmpty {
            for id in 0..<special.endOfText { logits[id] = -.infinity }
            let latestStart = begin + 50  // 1.0 s, Whisper's max_initial_timestamp
            if latestStart + 1 < count { for id in (latestStart + 1)..<count { logits[id] = -.infinity } }
        }
        let logProbabilities = logSoftmax(logits)
        var timestampMaximum = -Float.infinity
        for id in begin..<count { timestampMaximum = max(timestampMaximum, logProbabilities[id]) }
        guard timestampMaximum > -.infinity else { return }
        var timestampSum: Double = 0
        for id in begin..<count where logProbabilities[id] > -.infinity {
            timestampSum += Foundation.exp(Double(logProbabilities[id] - timestampMaximum))
        }
        let timestampLogSum = timestampMaximum + Float(Foundation.log(timestampSum))
        let textMaximum = logProbabilities[0..<begin].max() ?? -.infinity
        if timestampLogSum > textMaximum {
            for id in 0..<begin { logits[id] = -.infinity }
        }
    }

    /// The phrases of a timestamped token sequence, times relative to its window.
    func segments(of tokens: [Int]) -> [TranscriptSegment] {
        let tokenizer = model.tokenizer
        var segments: [TranscriptSegment] = []
        var start: Double?
        var text: [Int] = []
        for token in tokens {
            guard let seconds = tokenizer.timestampSeconds(ofToken: token) else {
                text.append(token)
                continue
            }
            if let opened = start {
                if !text.isEmpty {
                    segments.append(
                        TranscriptSegment(
                            startSeconds: opened, endSeconds: seconds,
                            text: tokenizer.decode(text).trimmingCharacters(in: .whitespaces)))
                    text.removeAll()
                    start = nil
                } else {
                    start = seconds  // a closing timestamp immediately followed by an opening one
                }
            } else {
                start = seconds
            }
        }
        if !text.isEmpty {
            segments.append(
                TranscriptSegment(
                    startSeconds: start ?? 0, endSeconds: start ?? 0,
                    text: tokenizer.decode(text).trimmingCharacters(in: .whitespaces), isComplete: false))
        }
        return segments
    }
}

/// Subtitle files from transcript segments.
public enum SubtitleFormat: String, Sendable, CaseIterable {
    /// SubRip: numbered cues, `00:00:01,500 --> 00:00:03,000`.
    case srt
    /// WebVTT: a `WEBVTT` header, `00:00:01.500 --> 00:00:03.000`.
    case vtt

    /// The whole file for `segments`; an incomplete last segment ends 2 s after it starts.
    public func render(_ segments: [TranscriptSegment]) -> String {
        var out = self == .vtt ? "WEBVTT\n\n" : ""
        for (index, segment) in segments.enumerated() {
            let end = segment.isComplete ? segment.endSeconds : segment.startSeconds + 2
            if self == .srt { out += "\(index + 1)\n" }
            out += "\(time(segment.startSeconds)) --> \(time(max(end, segment.startSeconds)))\n\(segment.text)\n\n"
        }
        return out
    }

    /// `hh:mm:ss,mmm` (SRT) or `hh:mm:ss.mmm` (VTT).
    func time(_ seconds: Double) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded())
        let (hours, rest) = milliseconds.quotientAndRemainder(dividingBy: 3_600_000)
        let (minutes, rest2) = rest.quotientAndRemainder(dividingBy: 60_000)
        let (wholeSeconds, millis) = rest2.quotientAndRemainder(dividingBy: 1000)
        return String(
            format: "%02d:%02d:%02d%@%03d", hours, minutes, wholeSeconds, self == .srt ? "," : ".", millis)
    }
}
