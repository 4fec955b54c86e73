import Foundation
import Recognition
import TutorCore

/// whisper.cpp (libwhisper 1.8.5 from the pywhispercpp 1.5.1 wheel) transcribing through `whisper-cpp-runner`,
/// which `Scripts/peers/build-whisper-cpp` builds, on a model file in whisper.cpp's format written from the same
/// CTranslate2 checkpoint as our GGUF. One runner process per model: it loads the model once and answers one
/// request per clip, timing `whisper_full` alone, as our figures time mel, encoder and decoder alone.
final class WhisperCppPeer {
    /// What whisper.cpp heard in one clip and how long `whisper_full` took.
    struct Result {
        var text: String
        var milliseconds: Double
        var encoderMilliseconds: Double
    }

    /// The runner's default place.
    static func defaultRunner(cache: URL) -> URL {
        peersDirectory(cache: cache).appendingPathComponent("bin/whisper-cpp-runner")
    }

    /// `<peers>/whisper.cpp`, where the runner, the libraries and the converted models live.
    static func peersDirectory(cache: URL) -> URL {
        let environment = ProcessInfo.processInfo.environment
        let peers =
            environment["VOICETUTOR_PEERS"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? cache.appendingPathComponent("peers", isDirectory: true)
        return peers.appendingPathComponent("whisper.cpp", isDirectory: true)
    }

    /// The encoder positions our recognizer runs for `sampleCount` samples: whisper.cpp's `audio_ctx` for the same
    /// trimming (two mel frames of 10 ms per position, at most 1,500).
    static func audioContext(sampleCount: Int) -> Int {
        let frames = min(sampleCount / LogMelFrontEnd.hopSize, 3000)
        return frames == 0 ? 1 : (frames - 1) / 2 + 1
    }

    /// whisper.cpp's model file for our model `name` (`tiny.en`, `base`), written from the CTranslate2 checkpoint in
    /// `<cache>/models/whisper-<name>/` when missing or older than it.
    static func modelFile(_ name: String, cache: URL) throws -> URL {
        let sources = WhisperSourceFiles(
            directory: cache.appendingPathComponent("models/whisper-\(name)", isDirectory: true))
        for file in [sources.model, sources.tokenizerJSON, sources.vocabularyText]
        where !FileManager.default.fileExists(atPath: file.path) {
            throw UserFacingError("\(file.path) is missing: run `tutor models fetch` first")
        }
        let output = peersDirectory(cache: cache).appendingPathComponent("ggml-\(name).bin")
        func modified(_ url: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        }
        if let written = modified(output), let source = modified(sources.model), written >= source { return output }
        FileHandle.standardError.write(Data("writing \(output.path) from \(sources.model.path)\n".utf8))
        do {
            try WhisperCppModelWriter.write(sources, to: output.path)
        } catch {
            throw UserFacingError("\(error)")
        }
        return output
    }

    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var buffer = Data()
    let runner: String

    /// Starts the runner on `model` with `threads` threads.
    init(runner: URL, model: URL, threads: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: runner.path) else {
            throw UserFacingError("\(runner.path): no whisper-cpp-runner there: run Scripts/peers/build-whisper-cpp")
        }
        self.runner = runner.path
        process.executableURL = runner
        process.arguments = [model.path, "\(threads)"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        do {
            try process.run()
        } catch {
            throw UserFacingError("\(runner.path): cannot start: \(error)")
        }
    }

    deinit {
        try? input.close()
        process.waitUntilExit()
    }

    /// Transcribes 16 kHz mono `samples` in `language`; `audioContext` 0 runs whisper.cpp's 30-second window;
    /// `maximumTokens` 0 lets it decode up to half the text context.
    func transcribe(_ samples: [Float], language: String, audioContext: Int, maximumTokens: Int = 0) throws -> Result {
        var request = Data("\(audioContext) \(maximumTokens) \(language) \(samples.count)\n".utf8)
        samples.withUnsafeBufferPointer { request.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        do {
            try input.write(contentsOf: request)
        } catch {
            throw UserFacingError("\(runner): stopped taking requests (\(error)); see its message above")
        }
        let line = try readLine()
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let text = object["text"] as? String, let milliseconds = object["ms"] as? Double
        else {
            throw UserFacingError(
                "\(runner): expected a JSON line with text and ms, found '\(String(decoding: line, as: UTF8.self))'")
        }
        return Result(
            text: text.trimmingCharacters(in: .whitespaces), milliseconds: milliseconds,
            encoderMilliseconds: object["encode_ms"] as? Double ?? 0)
    }

    private func readLine() throws -> Data {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw UserFacingError("\(runner) ended (status \(process.terminationStatus)); see its message above")
            }
            buffer.append(chunk)
        }
    }
}
