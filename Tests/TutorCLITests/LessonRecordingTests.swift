import Audio
import Foundation
import Testing
import TutorCore

/// `tutor lesson record` through the virtual microphone, as a teacher would run it.
@Suite struct LessonRecordingTests {
    static let sample = "Samples/thunder-after-lightning-en-gb-120.flac"  // 5.1 s of speech
    static let hasWhisper =
        FileManager.default.fileExists(
            atPath: TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    static func source() throws -> MonoAudio {
        try SoundFile.readSpeech(TutorProcess.repository.appendingPathComponent(sample))
    }

    /// Starts `tutor lesson record` and returns once its status line says capture has begun.
    static func startRecording(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = TutorProcess.configured(arguments)
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errorPipe)
    }

    static func waitForStatusLine(_ pipe: Pipe) -> String {
        var seen = Data()
        let deadline = Date(timeIntervalSinceNow: 20)
        while !String(decoding: seen, as: UTF8.self).contains("recording \""), Date() < deadline {
            seen.append(pipe.fileHandleForReading.availableData)
        }
        return String(decoding: seen, as: UTF8.self)
    }

    @Test func aLessonKilledWithSIGKILLKeepsAReadableFileWithAllButTheLastSecond() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let (process, errorPipe) = try Self.startRecording([
            "lesson", "record", "--library", library.path, "--title", "Killed lesson", "--mic-file", Self.sample,
        ])
        _ = Self.waitForStatusLine(errorPipe)
        let started = Date()
        Thread.sleep(forTimeInterval: 3.0)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(started)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        let recorded = try SoundFile.read(library.appendingPathComponent("killed-lesson.flac"))
        let seconds = Double(recorded.frameCount) / Double(recorded.sampleRateHz)
        // Capture starts a moment after the status line; a quarter second allows for that on a busy machine.
        #expect(seconds >= elapsed - 1.0 - 0.25, "kept \(seconds) s of \(elapsed) s")
        #expect(seconds <= elapsed + 0.25)
        let source = try Self.source()
        let worst = zip(recorded.samples, source.samples).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1.01 / 32_768, "the kept audio is the lesson's start")

        // The library knows the lesson is unfinished and says how to finish it.
        let list = try TutorProcess.run(["lesson", "list", "--library", library.path])
        #expect(list.status == 0, "\(list.error)")
        #expect(list.output.contains("Killed lesson\ten\t0:00\tunfinished (tutor lesson index \"Killed lesson\")"))
    }

    @Test func aFullDiskStopsTheRecordingCleanlyAndKeepsWhatWasWritten() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        // A microphone of white noise (incompressible, so the file grows fast), declared in the ~/.asoundrc of a
        // home folder of its own; and a file-size limit of 60 KiB (dash counts 512-byte blocks), which fails
        // writes with EFBIG just as a full disk fails them with ENOSPC.
        try """
        pcm.noise {
            type file
            slave.pcm "null"
            file "/dev/null"
            infile "/dev/urandom"
            format "raw"
        }
        """.write(to: library.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        let process = TutorProcess.configured([])
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "ulimit -f 120; exec \"$0\" lesson record --library \"$1\" --title 'Full disk' --device noise",
            TutorProcess.executable.path, library.appendingPathComponent("lessons").path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = library.path
        process.environment = environment
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let error = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1)
        let audioPath = library.path + "/lessons/full-disk.flac"
        #expect(error.contains("recording stopped: \(audioPath): writing the sound file failed"), "\(error)")
        #expect(error.contains("File too large"))
        #expect(error.contains("run `tutor lesson index \"Full disk\"`"))

        // What was written before the disk filled up opens and plays; the message says how much that is.
        let kept = try SoundFile.read(URL(fileURLWithPath: audioPath))
        let seconds = Double(kept.frameCount) / Double(kept.sampleRateHz)
        #expect(seconds > 1.0, "kept \(seconds) s")
        #expect(error.contains(String(format: "%.1f s of audio are kept in \(audioPath)", seconds)), "\(error)")
        let manifest = try String(contentsOfFile: library.path + "/lessons/lessons.txt", encoding: .utf8)
        #expect(manifest.contains("lesson Full disk") && manifest.contains("state recording"))
    }

    @Test func aTitleWithPathCharactersIsRefusedBeforeAnythingIsWritten() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let result = try TutorProcess.run([
            "lesson", "record", "--library", library.path, "--title", "../escape", "--mic-file", Self.sample,
        ])
        #expect(result.status != 0)
        #expect(result.error.contains("lesson title \"../escape\" contains the path character '/'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: library.deletingLastPathComponent().path + "/escape.flac"))
    }

    @Test func pausingWithSIGUSR1LeavesThePausedStretchOut() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        let (process, errorPipe) = try Self.startRecording([
            "lesson", "record", "--library", library.path, "--title", "Paused", "--mic-file", Self.sample,
            "--no-transcribe",
        ])
        _ = Self.waitForStatusLine(errorPipe)
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGUSR1)
        Thread.sleep(forTimeInterval: 2.0)
        kill(process.processIdentifier, SIGUSR2)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let recorded = try SoundFile.read(library.appendingPathComponent("paused.flac"))
        let seconds = Double(recorded.frameCount) / Double(recorded.sampleRateHz)
        let source = try Self.source()
        // About two seconds of the 5.1 s went by while paused; a busy machine shifts the signals a little.
        #expect(abs(seconds - (source.durationSeconds - 2.0)) < 0.6, "recorded \(seconds) s")
        // Before the pause the recording is the source itself.
        let worst = zip(recorded.samples.prefix(16_000), source.samples).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1.01 / 32_768)
    }

    @Test(.enabled(if: hasWhisper, "needs whisper-tiny.en.gguf and silero-vad.gguf in the cache"))
    func aFinishedRecordingIsTrimmedTranscribedWithTimesAndIndexedByTopic() throws {
        let library = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: library) }
        // The teacher starts early and stops late: 1.5 s of quiet before the lesson and 2 s after it.
        let source = try Self.source()
        let quiet = { (seconds: Double) in [Float](repeating: 0, count: Int(seconds * 16_000)) }
        let padded = MonoAudio(samples: quiet(1.5) + source.samples + quiet(2.0), sampleRateHz: 16_000)
        let micFile = library.appendingPathComponent("mic.flac")
        try SoundFile.write(padded, to: micFile)

        let result = try TutorProcess.run([
            "lesson", "record", "--library", library.path, "--title", "Thunder", "--mic-file", micFile.path,
            "--fast",
        ])
        #expect(result.status == 0, "\(result.error)")
        let kept = try SoundFile.read(library.appendingPathComponent("thunder.flac"))
        let seconds = Double(kept.frameCount) / Double(kept.sampleRateHz)
        #expect(seconds < padded.durationSeconds - 2.0, "kept \(seconds) s of \(padded.durationSeconds) s")
        #expect(seconds > source.durationSeconds - 0.8)

        let transcript = try String(
            contentsOf: library.appendingPathComponent("thunder.transcript.tsv"), encoding: .utf8)
        let lines = transcript.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count >= 1)
        let fields = lines.first?.split(separator: "\t") ?? []
        #expect(fields.count == 3)
        // Times count from the trimmed file's start: speech begins within the kept margin.
        #expect((Double(fields.first ?? "") ?? -1) <= 0.8)
        #expect(transcript.lowercased().contains("lightning"))
        let manifest = try String(contentsOf: library.appendingPathComponent("lessons.txt"), encoding: .utf8)
        #expect(manifest.contains("state ready"))
        #expect(manifest.contains("topics thunder-and-lightning-delay"), "\(manifest)")
    }
}
