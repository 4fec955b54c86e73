/// Why a CTranslate2 `model.bin` could not be read; every case names the file.
///
/// Messages read "<path>: <what was found>, expected <what was expected>", as STYLE.md asks.
public enum CTranslate2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file ends before a field that should be there.
    case truncated(path: String, reading: String, offset: Int, needed: Int, fileSize: Int)
    /// The binary version is not the one this reader knows (6).
    case unsupportedVersion(path: String, found: UInt32)
    /// A string is empty, lacks its NUL terminator, or is not UTF-8.
    case invalidString(path: String, reading: String, offset: Int)
    /// A count is larger than the rest of the file could hold.
    case implausibleCount(path: String, what: String, count: Int, limit: Int)
    /// A variable's dtype number is not one CTranslate2 defines.
    case unknownDType(path: String, variable: String, found: UInt8)
    /// A variable's byte count disagrees with its shape and dtype.
    case byteCountMismatch(path: String, variable: String, shape: [Int], dtype: String, expected: Int, found: Int)
    /// Two variables (or an alias and a variable) have the same name.
    case duplicateName(path: String, name: String)
    /// An alias points at a variable the file does not have.
    case unknownAliasTarget(path: String, alias: String, target: String)
    /// Bytes remain after the alias table.
    case trailingBytes(path: String, offset: Int, fileSize: Int)
    /// A variable the caller needs is missing.
    case missingVariable(path: String, variable: String)
    /// A variable has a different shape or dtype than the caller needs.
    case unexpectedVariable(path: String, variable: String, expected: String, found: String)

    /// The file this error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .truncated(let path, _, _, _, _), .unsupportedVersion(let path, _),
            .invalidString(let path, _, _), .implausibleCount(let path, _, _, _), .unknownDType(let path, _, _),
            .byteCountMismatch(let path, _, _, _, _, _), .duplicateName(let path, _),
            .unknownAliasTarget(let path, _, _), .trailingBytes(let path, _, _), .missingVariable(let path, _),
            .unexpectedVariable(let path, _, _, _):
            path
        }
    }

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "\(path): cannot open: \(reason)"
        case .truncated(let path, let reading, let offset, let needed, let fileSize):
            "\(path): ends while reading \(reading): \(needed) bytes needed at offset \(offset), "
                + "but the file has \(fileSize) bytes"
        case .unsupportedVersion(let path, let found):
            "\(path): is CTranslate2 binary version \(found), expected version 6"
        case .invalidString(let path, let reading, let offset):
            "\(path): \(reading) at offset \(offset) is not a NUL-terminated UTF-8 string, expected one"
        case .implausibleCount(let path, let what, let count, let limit):
            "\(path): \(what) is \(count), expected at most \(limit) (all the rest of the file could hold)"
        case .unknownDType(let path, let variable, let found):
            "\(path): variable '\(variable)' has dtype \(found), expected 0 (f32), 1 (i8), 2 (i16), 3 (i32) or 4 (f16)"
        case .byteCountMismatch(let path, let variable, let shape, let dtype, let expected, let found):
            "\(path): variable '\(variable)' (\(dtype), shape \(shape)) has \(found) bytes, expected \(expected)"
        case .duplicateName(let path, let name):
            "\(path): name '\(name)' appears twice, expected each variable and alias once"
        case .unknownAliasTarget(let path, let alias, let target):
            "\(path): alias '\(alias)' points at '\(target)', expected the name of a variable in the file"
        case .trailingBytes(let path, let offset, let fileSize):
            "\(path): \(fileSize - offset) bytes follow the alias table at offset \(offset), expected the end of file"
        case .missingVariable(let path, let variable):
            "\(path): has no variable '\(variable)', expected one"
        case .unexpectedVariable(let path, let variable, let expected, let found):
            "\(path): variable '\(variable)' is \(found), expected \(expected)"
        }
    }
}
