import Foundation

/// A strict RFC 8259 parser producing ``JSONValue``, numbers kept as their literal text.
///
/// Strict on purpose: a supplier response that is not exactly JSON (a truncated body, a stray
/// byte, an unpaired surrogate, a member given twice) fails the pull instead of loading
/// something the supplier did not send. https://www.rfc-editor.org/rfc/rfc8259
struct JSONParser {
    /// Where and why a document is not JSON. `endedEarly` means the bytes stop inside a value:
    /// the usual sign of a truncated body.
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        let offset: Int
        let reason: String
        let endedEarly: Bool

        var description: String {
            endedEarly
                ? "the JSON ends early at byte \(offset), inside \(reason) (truncated body?)"
                : "malformed JSON at byte \(offset): \(reason)"
        }
    }

    /// Deeper nesting than the supplier's shape ever needs is refused, so a hostile body
    /// cannot exhaust the stack.
    static let maximumDepth = 32

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Parses one complete document; anything but whitespace after it is an error.
    static func parse(_ data: Data) throws(SyntaxError) -> JSONValue {
        let result: Result<JSONValue, SyntaxError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw)
            do throws(SyntaxError) {
                parser.skipWhitespace()
                let value = try parser.parseValue()
                parser.skipWhitespace()
                guard parser.index == raw.count else { throw parser.error("unexpected text after the end of the document") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: - Values

    private mutating func parseValue() throws(SyntaxError) -> JSONValue {
        guard index < bytes.count else { throw endedEarly("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: throw error("unexpected \(describe(bytes[index])) where a value was expected")
        }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONValue {
        try enter()
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw endedEarly("an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name", inside: "an object")
            skipWhitespace()
            let value = try parseValue()
            // Which of two "price" members would the supplier mean? Refuse rather than guess.
            if members.updateValue(value, forKey: key) != nil {
                throw SyntaxError(offset: keyOffset, reason: "member \"\(key)\" appears twice in one object", endedEarly: false)
            }
            skipWhitespace()
            guard index < bytes.count else { throw endedEarly("an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default: throw error("expected ',' or '}' in an object, found \(describe(bytes[index]))")
            }
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw endedEarly("an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw error("expected ',' or ']' in an array, found \(describe(bytes[index]))")
            }
        }
    }

    // MARK: - Strings

    private mutating func parseString() throws(SyntaxError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw endedEarly("a string that starts at byte \(start)") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                buffer.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: bytes[runStart..<index])
                try parseEscape(into: &buffer)
                runStart = index
                continue
            }
            if byte < 0x20 { throw error("control character 0x\(String(byte, radix: 16)) inside a string must be escaped") }
            index += 1
        }
        guard let string = String(validating: buffer, as: UTF8.self) else {
            throw SyntaxError(offset: start, reason: "the string is not valid UTF-8", endedEarly: false)
        }
        return string
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) throws(SyntaxError) {
        index += 1
        guard index < bytes.count else { throw endedEarly("an escape sequence") }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800...0xDBFF).contains(code) {
                guard index + 1 < bytes.count else { throw endedEarly("a surrogate pair") }
                guard bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired UTF-16 surrogate \\u\(String(code, radix: 16))")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired UTF-16 surrogate \\u\(String(code, radix: 16))") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) {
                throw error("unpaired UTF-16 surrogate \\u\(String(code, radix: 16))")
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point \\u\(String(code, radix: 16))") }
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            throw error("invalid escape \\\(describe(letter))")
        }
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw endedEarly("a \\u escape") }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected a hexadecimal digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    /// Checks the RFC 8259 number grammar and returns the literal, untouched.
    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw endedEarly("a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            skipDigits()
        } else {
            throw error("expected a digit in a number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try requireDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try requireDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func requireDigits() throws(SyntaxError) {
        guard index < bytes.count else { throw endedEarly("a number") }
        guard isDigit(bytes[index]) else { throw error("expected a digit in a number") }
        skipDigits()
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Helpers

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard index < bytes.count else { throw endedEarly("the literal \(literal)") }
            guard bytes[index] == byte else { throw error("expected the literal \(literal)") }
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String, inside container: String) throws(SyntaxError) {
        guard index < bytes.count else { throw endedEarly(container) }
        guard bytes[index] == byte else { throw error("expected \(what), found \(describe(bytes[index]))") }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    private func error(_ reason: String) -> SyntaxError {
        SyntaxError(offset: index, reason: reason, endedEarly: false)
    }

    private func endedEarly(_ inside: String) -> SyntaxError {
        SyntaxError(offset: index, reason: inside, endedEarly: true)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
