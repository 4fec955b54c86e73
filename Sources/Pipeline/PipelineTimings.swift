import Foundation

/// Milliseconds per stage and the counters of one answer, in one place, for `--timings` and the benchmarks.
///
/// The headline is `endOfSpeechToFirstAnswerMilliseconds`: from the last speech sample of the question to the first
/// sample of the spoken answer handed to the speaker. Earcons and prompts are not the answer and do not count.
public struct PipelineTimings: Sendable, Equatable {
    /// Whisper's log-mel, encoder and decoder, ms (0 for a written question).
    public var recognizeMilliseconds = 0.0
    /// Finding the curriculum topic (and, for Swahili, scoring its known question forms), ms.
    public var retrieveMilliseconds = 0.0
    /// From the start of answer writing to the first sentence ready to speak, ms.
    public var firstSentenceMilliseconds = 0.0
    /// Writing the whole answer (the language model and its checks, or the curated text), ms.
    public var writeMilliseconds = 0.0
    /// The language model's time to its first token, ms (0 when it did not run).
    public var modelFirstTokenMilliseconds = 0.0
    /// The language model's decode speed, tokens per second (0 when it did not run).
    public var modelTokensPerSecond = 0.0
    /// Synthesizing the first chunk of the first sentence, ms.
    public var synthesizeFirstChunkMilliseconds = 0.0
    /// Synthesizing every sentence, ms.
    public var synthesizeMilliseconds = 0.0
    /// Seconds of answer audio synthesized.
    public var answerAudioSeconds = 0.0
    /// Seconds of question audio recognized.
    public var questionAudioSeconds = 0.0
    /// Work started when silence began (preemptively) rather than when the utterance ended.
    public var startedPreemptively = false
    /// From the end of the question to the first answer sample, ms; nil when nothing was spoken.
    public var endOfSpeechToFirstAnswerMilliseconds: Double?

    /// Frames of live microphone audio dropped (oldest first) because the pipeline fell behind.
    public var droppedMicrophoneFrames = 0
    /// Capture overruns and playback underruns recovered.
    public var xruns = 0
    /// Times a lost sound device was opened again.
    public var deviceReopens = 0
    /// Answers stopped because the child spoke over them.
    public var bargeIns = 0
    /// Preemptive work thrown away because the child went on speaking.
    public var preemptiveDiscards = 0
    /// Sentences written but not spoken (flushed by barge-in).
    public var sentencesFlushed = 0
    /// Answers whose language model failed, so the curated text was said instead.
    public var modelFailures = 0

    /// All zero.
    public init() {}

    /// Recognition time over question audio (below 1 is faster than real time).
    public var recognizeRealTimeFactor: Double {
        questionAudioSeconds > 0 ? recognizeMilliseconds / 1000 / questionAudioSeconds : 0
    }

    /// Synthesis time over answer audio.
    public var synthesizeRealTimeFactor: Double {
        answerAudioSeconds > 0 ? synthesizeMilliseconds / 1000 / answerAudioSeconds : 0
    }

    /// One line per stage and counter, as `--timings` prints them.
    public var report: String {
        var lines = [
            String(
                format: "%8.0f ms  recognize (%.1f s of audio, %.2f x real time)", recognizeMilliseconds,
                questionAudioSeconds, recognizeRealTimeFactor),
            String(format: "%8.0f ms  retrieve", retrieveMilliseconds),
            String(format: "%8.0f ms  first sentence ready", firstSentenceMilliseconds),
            String(format: "%8.0f ms  write answer", writeMilliseconds),
        ]
        if modelTokensPerSecond > 0 {
            lines.append(
                String(
                    format: "%8.0f ms  model's first token (%.0f tokens/s)", modelFirstTokenMilliseconds,
                    modelTokensPerSecond))
        }
        lines.append(String(format: "%8.0f ms  synthesize first chunk", synthesizeFirstChunkMilliseconds))
        lines.append(
            String(
                format: "%8.0f ms  synthesize (%.1f s of speech, %.3f x real time)", synthesizeMilliseconds,
                answerAudioSeconds, synthesizeRealTimeFactor))
        if let headline = endOfSpeechToFirstAnswerMilliseconds {
            lines.append(
                String(
                    format: "%8.0f ms  end of question to first answer sample%@", headline,
                    startedPreemptively ? " (work began when silence began)" : ""))
        }
        lines.append(
            "counters: dropped mic frames \(droppedMicrophoneFrames), xruns \(xruns), reopens \(deviceReopens), "
                + "barge-ins \(bargeIns), preemptive discards \(preemptiveDiscards), "
                + "sentences flushed \(sentencesFlushed), model failures \(modelFailures)")
        return lines.joined(separator: "\n")
    }
}
