import Audio
import Foundation
import Testing
import TutorCore

@testable import Recognition

/// A long recording built from Samples/ questions with silence between, transcribed in windows by tiny.en from the
/// cache (skipped locally without it; CI=true runs it). 10-second windows, so a 20-second clip needs seeking.
@Suite(.serialized) struct RealLongAudioTests {
    @Test(.enabled(if: RealWhisperTranscriptionTests.shouldRun("whisper-tiny.en"), "needs whisper-tiny.en.gguf"))
    func questionsWithSilenceBetweenComeBackOnceEachNearWhereTheyWereSaid() throws {
        let silence = [Float](repeating: 0, count: 32_000)  // 2 s
        var recording: [Float] = []
        var placed: [(word: String, startSeconds: Double, endSeconds: Double)] = []
        for (file, word) in [
            ("magnet-nails-en-us-f-175.flac", "nails"), ("bicycle-stops-en-gb-140.flac", "pedal"),
            ("sky-blue-en-us-160.flac", "blue"), ("thunder-after-lightning-en-gb-120.flac", "thunder"),
        ] {
            let clip = try RealWhisperTranscriptionTests.sample(file)
            let start = Double(recording.count) / 16_000
            recording += clip
            placed.append((word, start, Double(recording.count) / 16_000))
            recording += silence
        }
        let recognizer = try RealWhisperTranscriptionTests.recognizer("whisper-tiny.en")
        var options = LongTranscriptionOptions()
        options.windowSeconds = 10
        let result = try recognizer.transcribeLong(recording, options: options)
        let duration = Double(recording.count) / 16_000
        print(SubtitleFormat.srt.render(result.segments))
        #expect(result.windowCount >= 2)
        for (word, start, end) in placed {
            let hits = result.segments.filter { $0.text.lowercased().contains(word) }
            #expect(hits.count == 1, "'\(word)' heard \(hits.count) times")
            // A window's first timestamp is at most 1 s in (Whisper's max_initial_timestamp), so a phrase after more
            // silence than that at a window's start is dated early, by at most the 2 s of silence here.
            if let hit = hits.first {
                #expect(hit.startSeconds > start - 2 && hit.startSeconds < end, "'\(word)' at \(hit.startSeconds) s")
            }
        }
        for (earlier, later) in zip(result.segments, result.segments.dropFirst()) {
            #expect(earlier.startSeconds <= later.startSeconds)
        }
        #expect(result.segments.allSatisfy { $0.startSeconds >= 0 && $0.endSeconds <= duration + 0.01 })
    }
}
