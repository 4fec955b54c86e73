import Audio
import Foundation
import Testing
import TutorCore

/// `tutor lesson render`, `find`, `list` and `play` as a teacher runs them.
@Suite struct LessonCommandTests {
    static let hasWhisper = LessonRecordingTests.hasWhisper

    @Test(arguments: [("Lessons/magnets-en.md", "en"), ("Lessons/magnets-sw.md", "sw")])
    func theSampleScriptRendersToASoundFile(script: String, language: String) throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("lesson.flac")
        let result = try TutorProcess.run(["lesson", "render", script, "--lang", language, "-o", output.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("rendered \(output.path)"))
        let audio = try SoundFile.read(output).mixedToMono()
        // The script's own pauses alone (a question's 6 s, headings, paragraphs) come to about 13 s.
        #expect(audio.durationSeconds > 30 && audio.durationSeconds < 120, "\(audio.durationSeconds) s")
        #expect(!result.error.contains("skipped"), "every word of the sample is pronounceable: \(result.error)")
    }

    @Test func unknownMarkupIsAnErrorNamingTheFileAndLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("bad.md")
        try "# Light\n\nLight is fast.\nSay it [loud] now.\n".write(to: script, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("bad.flac")
        let result = try TutorProcess.run(["lesson", "render", script.path, "-o", output.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(script.path):4: unknown markup [loud]"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test(.enabled(if: hasWhisper, "needs whisper-tiny.en.gguf and silero-vad.gguf in the cache"))
    func ourRecognizerHearsAtLeastFourFifthsOfTheEnglishSampleScriptsContentWords() throws {
        let result = try TutorProcess.run(["eval", "lesson", "Lessons/magnets-en.md", "--lang", "en", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let recall = object?["recall"] as? Double ?? 0
        #expect((object?["content_words"] as? Int ?? 0) >= 25)
        #expect(recall >= 0.8, "recall \(recall); missed \(object?["missed"] ?? "?")")
    }

    @Test func aSpokenRequestFindsTheRightLessonInEnglishAndSwahili() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        try """
        lesson Magnets and compasses
            language en
            audio magnets-and-compasses.flac
            seconds 300
            topics magnets compass
            state ready
        lesson Mwanga
            language sw
            audio mwanga.flac
            seconds 200
            topics light-speed
            state ready
        lesson Falling things
            language en
            audio falling-things.flac
            seconds 250
            topics gravity falling-objects
            state ready
        """.write(to: library.appendingPathComponent("lessons.txt"), atomically: true, encoding: .utf8)
        let english = try TutorProcess.run([
            "lesson", "find", "play the lesson about magnets", "--library", library.path,
        ])
        #expect(english.status == 0, "\(english.error)")
        #expect(english.output.split(separator: "\n").first?.hasSuffix("\tMagnets and compasses") == true)
        let swahili = try TutorProcess.run(["lesson", "find", "cheza somo kuhusu sumaku", "--library", library.path])
        #expect(swahili.output.split(separator: "\n").first?.hasSuffix("\tMagnets and compasses") == true)
    }

    @Test func aLessonPlaysByTitleOrByTopicAndAnUnknownOneIsNamed() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let tone = (0..<8_000).map { Float(sin(Double($0) * 0.1) * 0.2) }
        try SoundFile.write(
            MonoAudio(samples: tone, sampleRateHz: 16_000), to: library.appendingPathComponent("tone.flac"))
        try """
        lesson Tone
            language en
            audio tone.flac
            seconds 0.5
            topics loudness pitch
            state ready
        """.write(to: library.appendingPathComponent("lessons.txt"), atomically: true, encoding: .utf8)
        for arguments in [["Tone"], ["--topic", "pitch"]] {
            let result = try TutorProcess.run(
                ["lesson", "play"] + arguments + ["--library", library.path, "--device", "null"])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.contains("playing \"Tone\" (0:01) on 'null'"), "\(result.error)")
        }
        let unknown = try TutorProcess.run(["lesson", "play", "Magnets", "--library", library.path])
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("no lesson titled \"Magnets\" in \(library.path)"), "\(unknown.error)")
        let noTopic = try TutorProcess.run(["lesson", "play", "--topic", "gravity", "--library", library.path])
        #expect(noTopic.error.contains("no ready lesson in \(library.path) has the topic 'gravity'"))
    }

    @Test func aBrokenManifestIsReportedWithItsLine() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let manifest = library.appendingPathComponent("lessons.txt")
        try "lesson Light\n    language en\n    audio ../../light.flac\n".write(
            to: manifest, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run(["lesson", "list", "--library", library.path])
        #expect(result.status != 0)
        #expect(result.error.contains("\(manifest.path):3: audio '../../light.flac' must be a plain file name"))
    }
}
