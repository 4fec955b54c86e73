import Foundation

/// Runs an external tool and collects its output; used by set-up steps (pip, unzip, tar, sha256sum).
///
/// Not for the audio path: it blocks the calling thread until the tool exits.
public enum ProcessRunner {
    /// What a finished tool left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// Runs `arguments[0]` found on PATH with the rest as arguments; stdout goes to `outputFile` when given.
    public static func run(
        _ arguments: [String], outputFile: URL? = nil, environment: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = environment }
        let errorPipe = Pipe()
        let outputPipe = Pipe()
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        var outputHandle: FileHandle?
        if let outputFile {
            guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
                throw ModelStoreError.toolFailed(
                    command: arguments.joined(separator: " "), status: -1, output: "cannot create \(outputFile.path)")
            }
            let handle = try FileHandle(forWritingTo: outputFile)
            process.standardOutput = handle
            outputHandle = handle
        } else {
            process.standardOutput = outputPipe
        }
        do {
            try process.run()
        } catch {
            throw ModelStoreError.toolFailed(
                command: arguments.joined(separator: " "), status: -1, output: error.localizedDescription)
        }
        // Read both pipes while the tool runs so a chatty tool cannot fill a pipe and stall.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        nonisolated(unsafe) var outputData = Data()
        DispatchQueue.global().async(group: group) { errorData = errorPipe.fileHandleForReading.readDataToEndOfFile() }
        if outputFile == nil {
            DispatchQueue.global().async(group: group) {
                outputData = outputPipe.fileHandleForReading.readDataToEndOfFile()
            }
        }
        process.waitUntilExit()
        group.wait()
        try outputHandle?.close()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Runs a tool and throws `toolFailed` unless it exits 0.
    @discardableResult
    public static func check(_ arguments: [String], outputFile: URL? = nil) throws -> Result {
        let result = try run(arguments, outputFile: outputFile)
        guard result.status == 0 else {
            throw ModelStoreError.toolFailed(
                command: arguments.joined(separator: " "), status: result.status,
                output: String((result.standardError + result.standardOutput).suffix(2_000)))
        }
        return result
    }

    /// Whether a tool is on PATH.
    public static func isAvailable(_ tool: String) -> Bool {
        (try? run(["which", tool]).status) == 0
    }
}
