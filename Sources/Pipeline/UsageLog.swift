import Foundation
import Logging

/// The centre's usage log: how often each topic was asked about, and nothing else (never audio, words or names).
///
/// The file holds one `topic<TAB>count` line per topic and is rewritten after each answer. When it cannot be
/// written (a full disk, a read-only card), logging stops with one error message and tutoring goes on.
/// Not thread-safe: the kiosk records from its listening thread.
public final class UsageLog {
    /// The file.
    public let path: String
    /// Counts per topic (`unknown` for questions no topic answered).
    public private(set) var counts: [String: Int] = [:]
    /// False once a write failed; nothing more is written.
    public private(set) var isWriting = true

    private let logger = Logger(label: "pipeline.usage")

    /// A log at `path`, continuing the counts already in it (a line that does not parse is an error).
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return }
        for (index, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let count = Int(fields[1]), count >= 0 else {
                throw PipelineError.invalidConfiguration(
                    path: path, line: index + 1, reason: "expected 'topic<TAB>count', found '\(line)'")
            }
            counts[String(fields[0])] = count
        }
    }

    /// Counts one question about `topic` (nil: no topic) and writes the file.
    public func record(topic: String?) {
        counts[topic ?? "unknown", default: 0] += 1
        guard isWriting else { return }
        let text = counts.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined()
        do {
            // In place, not through a temporary file: on a full disk the write fails rather than the rename.
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            isWriting = false
            logger.error("\(path): usage log stopped: \(error.localizedDescription); tutoring goes on")
        }
    }
}
