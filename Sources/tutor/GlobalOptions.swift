import ArgumentParser
import Foundation
import Logging

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log what each stage does (to standard error).")
    var verbose = false

    /// Sets up swift-log once: notices and above by default, everything with --verbose.
    func bootstrapLogging() {
        LoggingBootstrap.once(level: verbose ? .debug : .notice)
    }
}

/// swift-log may be bootstrapped only once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    private static let lock = NSLock()

    static func once(level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Turns our errors into a clean one-line message and a non-zero exit, never a stack trace.
struct UserFacingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
