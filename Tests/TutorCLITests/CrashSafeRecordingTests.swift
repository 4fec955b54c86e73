import Audio
import Foundation
import Testing
import TutorCore

/// A recording killed with SIGKILL (a power cut, a crash) keeps all but its last second.
@Suite struct CrashSafeRecordingTests {
    @Test(arguments: ["flac", "wav"])
    func aRecordingKilledWithSIGKILLKeepsAllButTheLastSecond(format: String) throws {
        let sample = "Samples/thunder-after-lightning-en-gb-120.flac"  // 5.5 s, paced in real time
        let folder = try TutorProcess.temporaryFolder()
        let output = folder.appendingPathComponent("lesson.\(format)")
        let process = TutorProcess.configured(["record", "--mic-file", sample, "-o", output.path])
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // The status line comes once capture has started; time the recording from there.
        var seen = Data()
        let deadline = Date(timeIntervalSinceNow: 20)
        while !String(decoding: seen, as: UTF8.self).contains("recording from"), Date() < deadline {
            seen.append(errorPipe.fileHandleForReading.availableData)
        }
        let started = Date()
        Thread.sleep(forTimeInterval: 3.0)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(started)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        let recorded = try SoundFile.read(output)
        let seconds = Double(recorded.frameCount) / Double(recorded.sampleRateHz)
        // Capture starts a moment after the status line; allow a quarter second for that on a busy machine.
        #expect(seconds >= elapsed - 1.0 - 0.25, "kept \(seconds) s of \(elapsed) s")
        #expect(seconds <= elapsed + 0.25)

        // What was kept is the question's start, not noise.
        let source = try SoundFile.readSpeech(TutorProcess.repository.appendingPathComponent(sample))
        let worst = zip(recorded.samples, source.samples).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1.01 / 32_768)
    }
}
