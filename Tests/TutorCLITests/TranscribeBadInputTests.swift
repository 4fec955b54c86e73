import Audio
import Foundation
import Testing
import TutorCore

/// Issue 4's list of bad recordings through `tutor transcribe`, as a teacher or the kiosk would hand them over: each
/// gives a clear error or a sensible transcript, never invented text or a crash. The 48 kHz stereo file is in
/// TranscribeCommandTests. Needs tiny.en in the cache (CI=true runs it anyway).
@Suite(.serialized) struct TranscribeBadInputTests {
    static let sky = "Samples/sky-blue-en-us-160.flac"

    /// The sky question as the recognizer reads it (16 kHz mono).
    static func skyQuestion() throws -> [Float] {
        try SoundFile.readSpeech(URL(fileURLWithPath: TutorProcess.repository.appendingPathComponent(sky).path))
            .samples
    }

    /// Writes `samples` at `rate` as 16-bit WAV in `folder` and transcribes it.
    static func transcribe(
        _ samples: [Float], rate: Int = 16_000, name: String, in folder: URL
    ) throws
        -> TutorProcess.Result
    {
        let url = folder.appendingPathComponent(name)
        try SoundFile.write(MonoAudio(samples: samples, sampleRateHz: rate), to: url)
        return try TutorProcess.run(["transcribe", url.path])
    }

    static func words(_ output: String) -> [Substring] {
        output.split(whereSeparator: { $0.isWhitespace })
    }

    @Test func anEmptyFileIsAnErrorNamingIt() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("empty.wav")
        try Data().write(to: url)
        let result = try TutorProcess.run(["transcribe", url.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(url.path): the file is empty (0 bytes), expected a sound file"))
    }

    @Test(.enabled(if: TranscribeCommandTests.shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func aWaveFileWithNoSamplesAndATenthOfASecondGiveAnEmptyLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let none = try Self.transcribe([], name: "no-samples.wav", in: folder)
        #expect(none.status == 0, "\(none.error)")
        #expect(Self.words(none.output).isEmpty, "\(none.output)")
        let tenth = try Self.transcribe(Array(try Self.skyQuestion()[8000..<9600]), name: "tenth.wav", in: folder)
        #expect(tenth.status == 0, "\(tenth.error)")
        #expect(Self.words(tenth.output).count <= 2, "0.1 s heard as '\(tenth.output)'")
    }

    /// Exact zeros made tiny.en write "you" (average log-probability -0.91, above the no-speech guard's -1.0)
    /// until digital silence was caught before the encoder.
    @Test(.enabled(if: TranscribeCommandTests.shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func silenceAndWhiteNoiseGiveAnEmptyLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let silence = try Self.transcribe([Float](repeating: 0, count: 48_000), name: "silence.wav", in: folder)
        #expect(silence.status == 0 && Self.words(silence.output).isEmpty, "\(silence.output) \(silence.error)")
        var generator = SplitMix64(seed: 11)
        let noise = (0..<48_000).map { _ in Float.random(in: -0.3...0.3, using: &generator) }
        let heard = try Self.transcribe(noise, name: "white-noise.wav", in: folder)
        #expect(heard.status == 0 && Self.words(heard.output).isEmpty, "white noise heard as '\(heard.output)'")
    }

    @Test(.enabled(if: TranscribeCommandTests.shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func clippedAndTelephoneAudioStillGiveTheQuestion() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let question = try Self.skyQuestion()
        // Driven 10 dB past full scale: every sample above a third of the peak is flattened
        let gain = 3 / (question.map(abs).max() ?? 1)
        let clipped = question.map { min(1, max(-1, $0 * gain)) }
        // 3 % of the clip, its pauses included.
        #expect(Double(clipped.filter { abs($0) == 1 }.count) > 0.02 * Double(clipped.count))
        let loud = try Self.transcribe(clipped, name: "clipped.wav", in: folder)
        #expect(loud.status == 0 && loud.output.lowercased().contains("blue"), "clipped: '\(loud.output)'")
        // A telephone line: 8 kHz, so nothing above 4 kHz.
        let telephone = Resampler.resample(MonoAudio(samples: question, sampleRateHz: 16_000), to: 8000).samples
        let phoned = try Self.transcribe(telephone, rate: 8000, name: "telephone.wav", in: folder)
        #expect(phoned.status == 0 && phoned.output.lowercased().contains("blue"), "8 kHz: '\(phoned.output)'")
    }

    @Test(.enabled(if: TranscribeCommandTests.shouldRun, "needs whisper-tiny.en.gguf in the cache"))
    func tenMinutesAreTranscribedWholeInWindowsAndTheSilenceSkipped() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let question = try Self.skyQuestion()
        var recording = [Float](repeating: 0, count: 16_000 * 600)
        recording.replaceSubrange(0..<question.count, with: question)
        let tail = recording.count - question.count - 16_000
        recording.replaceSubrange(tail..<(tail + question.count), with: question)  // said again near the end
        let result = try Self.transcribe(recording, name: "ten-minutes.wav", in: folder)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.lowercased().components(separatedBy: "blue").count - 1 == 2, "\(result.output)")
    }
}
