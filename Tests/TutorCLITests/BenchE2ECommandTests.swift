import Foundation
import Testing

/// `tutor bench e2e`'s speech-end labels: the committed ones cover the test set, and a bad line is named by file:line
/// before any model is loaded.
@Suite struct BenchE2ECommandTests {
    /// A resource folder (VOICETUTOR_HOME) whose Evaluation/asr/speech-labels.tsv holds `labels`.
    func runWithLabels(_ labels: String, set: String = "asr") throws -> (TutorProcess.Result, String) {
        let home = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let asr = home.appendingPathComponent("Evaluation/asr")
        try FileManager.default.createDirectory(at: asr, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("Models"), withIntermediateDirectories: true)
        try Data().write(to: home.appendingPathComponent("Models/manifest.tsv"))
        let file = asr.appendingPathComponent("speech-labels.tsv")
        try labels.write(to: file, atomically: true, encoding: .utf8)
        let process = TutorProcess.configured(["bench", "e2e", "--lang", "en", "--set", set])
        var environment = ProcessInfo.processInfo.environment
        environment["VOICETUTOR_HOME"] = home.path
        process.environment = environment
        let errorPipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        try process.run()
        let error = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (TutorProcess.Result(status: process.terminationStatus, output: "", error: error), file.path)
    }

    @Test func aSpeechEndThatIsNotANumberIsNamedByFileAndLine() throws {
        let (result, path) = try runWithLabels(
            "# file\tlanguage\tspeech_start_seconds\tspeech_end_seconds\n"
                + "clips/a.flac\ten\t0.300\t1.200\n"
                + "clips/b.flac\ten\t0.300\tsoon\n")
        #expect(result.status != 0)
        #expect(result.error.contains("\(path):3: speech end 'soon' is not a number of seconds"), "\(result.error)")
    }

    @Test func aLineWithTooFewFieldsIsNamedByFileAndLine() throws {
        let (result, path) = try runWithLabels("\n# comment\nclips/a.flac\ten\n")
        #expect(result.status != 0)
        #expect(result.error.contains("\(path):3: expected 4 tab-separated fields, found 2"), "\(result.error)")
    }

    @Test func anUnknownSetIsRefused() throws {
        let (result, _) = try runWithLabels("", set: "children")
        #expect(result.status != 0)
        #expect(result.error.contains("--set must be samples, asr or all (found 'children')"), "\(result.error)")
    }

    /// Every synthetic question of testset.tsv has a label with the speech inside the padding the clips were made
    /// with (0.3 s before, 0.5 s after), and no label names a clip the test set does not have.
    @Test func theCommittedLabelsCoverEverySyntheticQuestionOfTheTestSet() throws {
        let folder = TutorProcess.repository.appendingPathComponent("Evaluation/asr")
        func rows(_ name: String) throws -> [[String]] {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n").filter { !$0.hasPrefix("#") }
                .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        let questions = try rows("testset.tsv").filter { $0[0].hasPrefix("clips/") }.map { [$0[0], $0[1]] }
        let labels = try rows("speech-labels.tsv")
        #expect(labels.map { [$0[0], $0[1]] } == questions)
        for label in labels {
            let start = Double(label[2]) ?? -1
            let end = Double(label[3]) ?? -1
            // Speech begins after the 0.3 s of padding; a soft onset may stay under the threshold a little longer.
            #expect(start >= 0.3 && start < 0.4 && end > start + 0.3, "\(label)")
        }
    }
}
