import Audio
import Foundation
import Testing
import TutorCore

/// `tutor lesson find --audio`: a child asks for a lesson out loud.
@Suite struct SpokenLessonRequestTests {
    static let canSpeakAndHear = EvalSpeechCommandTests.shouldRun

    static let canSpeakAndHearSwahili =
        (FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-base.gguf").path)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng"))
        || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Renders a one-paragraph script into the library under `title`, as a teacher does.
    static func render(_ title: String, script: String, into library: URL, language: String = "en") throws {
        let file = library.appendingPathComponent("\(title).md")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run([
            "lesson", "render", file.path, "--lang", language, "--title", title, "--library", library.path,
        ])
        #expect(result.status == 0, "\(result.error)")
        try FileManager.default.removeItem(at: file)
    }

    /// `text` spoken by espeak-ng into a WAV file.
    static func speak(_ text: String, voice: String, to file: URL) throws {
        let speak = Process()
        speak.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        speak.arguments = ["espeak-ng", "-v", voice, "-s", "140", "-w", file.path, text]
        try speak.run()
        speak.waitUntilExit()
        #expect(speak.terminationStatus == 0)
    }

    @Test(.enabled(if: canSpeakAndHear, "needs whisper-tiny.en.gguf in the cache and espeak-ng"))
    func aSpokenRequestFindsAndPlaysTheMagnetsLessonAndNotTheRainbowOne() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let request = library.appendingPathComponent("request.wav")
        try Self.speak("play the lesson about magnets", voice: "en-us", to: request)
        try Self.render(
            "Rainbows", script: "# Rainbows\n\nSunlight shining through raindrops splits into colours.\n",
            into: library)
        let arguments = ["lesson", "find", "--audio", request.path, "--lang", "en", "--library", library.path]

        let onlyRainbows = try TutorProcess.run(arguments)
        #expect(onlyRainbows.status != 0)
        #expect(onlyRainbows.error.contains("no lesson in \(library.path) fits \""), "\(onlyRainbows.error)")

        try Self.render(
            "Magnets", script: "# Magnets\n\nA magnet pulls iron, and a compass needle points north.\n",
            into: library)
        let result = try TutorProcess.run(arguments + ["--play", "--device", "null"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("heard (en): ") == true, "\(result.output)")
        #expect(lines.first?.lowercased().contains("magnet") == true, "\(result.output)")
        #expect(lines.dropFirst().first?.hasSuffix("\tMagnets") == true, "\(result.output)")
        #expect(!result.output.contains("Rainbows"), "\(result.output)")
        #expect(result.error.contains("playing \"Magnets\""), "\(result.error)")
    }

    /// Whisper base writes espeak-ng's Swahili as garbled syllables; the lessons' request phrasings scored against
    /// the audio find the one asked for, and a request about something no lesson covers finds none.
    @Test(.enabled(if: canSpeakAndHearSwahili, "needs whisper-base.gguf in the cache and espeak-ng"))
    func aSpokenSwahiliRequestFindsItsLessonAndAnOffTopicOneFindsNone() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        for (title, script) in [
            ("Sumaku", "Sumaku huvuta chuma. Dira ina sindano ya sumaku."),
            ("Upinde wa mvua", "Mwanga wa jua hupita kwenye matone ya mvua na kugawanyika kuwa rangi."),
            ("Volkano", "Volkano ni mlima unaotoa mwamba wa moto kutoka ndani ya Dunia."),
        ] {
            try Self.render(title, script: "# \(title)\n\n\(script)\n", into: library, language: "sw")
        }
        func find(_ request: String) throws -> TutorProcess.Result {
            let file = library.appendingPathComponent("request.wav")
            try Self.speak(request, voice: "sw", to: file)
            return try TutorProcess.run(["lesson", "find", "--audio", file.path, "--lang", "sw", "--library", library.path])
        }

        let rainbow = try find("cheza somo kuhusu upinde wa mvua")
        #expect(rainbow.status == 0, "\(rainbow.error)")
        let lines = rainbow.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("heard (sw): ") == true, "\(rainbow.output)")
        #expect(lines.contains { $0.hasSuffix("\tUpinde wa mvua") }, "\(rainbow.output)")
        #expect(!rainbow.output.contains("\tSumaku") && !rainbow.output.contains("\tVolkano"), "\(rainbow.output)")

        let offTopic = try find("cheza somo kuhusu historia ya kenya")
        #expect(offTopic.status != 0, "\(offTopic.output)")
        #expect(offTopic.error.contains("no lesson in \(library.path) fits \""), "\(offTopic.error)")
    }

    @Test(.enabled(if: LessonRecordingTests.hasWhisper, "needs whisper-tiny.en.gguf in the cache"))
    func aSilentRequestSaysNothingWasHeard() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let silence = library.appendingPathComponent("silence.wav")
        try SoundFile.write(MonoAudio(samples: [Float](repeating: 0, count: 24_000), sampleRateHz: 16_000), to: silence)
        let result = try TutorProcess.run([
            "lesson", "find", "--audio", silence.path, "--lang", "en", "--library", library.path,
        ])
        #expect(result.status != 0)
        #expect(result.error.contains("\(silence.path): no speech heard"), "\(result.error)")
        #expect(result.output.isEmpty, "\(result.output)")
    }

    @Test func aMissingOrUnreadableSoundFileIsNamed() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let missing = library.appendingPathComponent("nothing.wav")
        let absent = try TutorProcess.run(["lesson", "find", "--audio", missing.path, "--library", library.path])
        #expect(absent.status != 0)
        #expect(absent.error.contains(missing.path), "\(absent.error)")

        let notSound = library.appendingPathComponent("request.wav")
        try "play the lesson about magnets\n".write(to: notSound, atomically: true, encoding: .utf8)
        let unreadable = try TutorProcess.run(["lesson", "find", "--audio", notSound.path, "--library", library.path])
        #expect(unreadable.status != 0)
        #expect(unreadable.error.contains(notSound.path), "\(unreadable.error)")
    }

    @Test func textAndAudioTogetherOrAnUnrecognizedLanguageAreRefused() throws {
        let both = try TutorProcess.run(["lesson", "find", "magnets", "--audio", "request.wav"])
        #expect(both.status != 0)
        #expect(both.error.contains("give the request either as text or with --audio FILE, not both"))
        let chichewa = try TutorProcess.run(["lesson", "find", "--audio", "request.wav", "--lang", "ny"])
        #expect(chichewa.status != 0)
        #expect(chichewa.error.contains("--lang must be one of en, sw, ha, yo, hi, ur or auto (found 'ny')"))
    }
}
