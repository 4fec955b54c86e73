import Foundation
import Testing
import TutorCore

@testable import Recognition

/// Timestamps, segments and subtitles on the tiny random model; seeking over a long recording is in
/// `RealLongAudioTests`.
@Suite struct LongAudioTests {
    @Test func timestampedTokensBecomeSegmentsAndAnUnclosedPhraseIsMarkedIncomplete() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let tokenizer = model.tokenizer
        func at(_ seconds: Double) -> Int { tokenizer.timestampToken(seconds: seconds) }
        let the = tokenizer.encode(" the")
        let tokens = [at(0)] + the + [at(1.5), at(2.0)] + the + the + [at(3.0), at(3.5)] + the
        let segments = recognizer.segments(of: tokens)
        #expect(segments.count == 3)
        #expect(segments[0] == TranscriptSegment(startSeconds: 0, endSeconds: 1.5, text: "the"))
        #expect(segments[1] == TranscriptSegment(startSeconds: 2, endSeconds: 3, text: "the the"))
        #expect(segments[2].startSeconds == 3.5 && !segments[2].isComplete)
    }

    @Test func theTimestampRulesStartWithAnEarlyTimestampPairThemAndNeverGoBackOrPastTheAudio() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let special = model.tokenizer.special
        let vocabulary = model.tokenizer.count
        func allowed(after tokens: [Int], positions: Int = 1500) -> [Int] {
            var logits = [Float](repeating: 0, count: vocabulary)
            recognizer.applyTimestampRules(&logits, after: tokens, audioPositions: positions)
            return logits.indices.filter { logits[$0] > -.infinity }
        }
        let begin = special.timestampBegin
        // First: a timestamp of at most 1 s (and text, being less likely in total than the timestamps, is barred).
        #expect(allowed(after: []) == Array(begin...(begin + 50)))
        // After the opening timestamp: no timestamp (text must come first), and never <|notimestamps|>.
        let opened = allowed(after: [begin + 10])
        #expect(!opened.contains(special.noTimestamps))
        #expect(opened.contains(40) && opened.allSatisfy { $0 < begin })
        // After a closed pair: no timestamp at all.
        #expect(allowed(after: [begin, 40, begin + 20, begin + 20]).allSatisfy { $0 < begin })
        // After text closed by one timestamp: a timestamp no earlier than it, or the end of text; no text.
        let closed = allowed(after: [begin, 40, begin + 20])
        #expect(closed.allSatisfy { $0 >= begin + 20 || $0 == special.endOfText })
        // Over 2 s of audio (100 positions) nothing past <|2.00|>.
        #expect(allowed(after: [], positions: 20).max() == begin + 20)
    }

    @Test func subtitlesAreNumberedSubRipOrWebVTTWithMillisecondTimes() {
        let segments = [
            TranscriptSegment(startSeconds: 0, endSeconds: 1.5, text: "Why is the sky blue?"),
            TranscriptSegment(startSeconds: 3723.0456, endSeconds: 3725.5, text: "Light scatters.", isComplete: false),
        ]
        #expect(
            SubtitleFormat.srt.render(segments)
                == "1\n00:00:00,000 --> 00:00:01,500\nWhy is the sky blue?\n\n"
                + "2\n01:02:03,046 --> 01:02:05,046\nLight scatters.\n\n")
        #expect(
            SubtitleFormat.vtt.render(segments)
                == "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nWhy is the sky blue?\n\n"
                + "01:02:03.046 --> 01:02:05.046\nLight scatters.\n\n")
    }

    @Test func aSilentRecordingIsSkippedWindowByWindowWithoutRunningTheEncoder() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let tenMinutes = [Float](repeating: 0, count: 16_000 * 600)
        let result = try recognizer.transcribeLong(tenMinutes)
        #expect(result.segments.isEmpty && result.text.isEmpty)
        #expect(result.windowCount == 0)
        #expect(result.timings.audioMilliseconds == 600_000)
    }
}
