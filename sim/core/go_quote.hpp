// Quoting text the way Go's strconv.Quote does (what `%q` prints), which is how
// the API server and kubectl echo user input in messages: control bytes, bidi
// overrides and invalid UTF-8 become visible escapes instead of reaching the
// terminal. Every message that echoes input goes through GoQuote, and
// Diagnostic::Render passes whole messages through EscapeUnprintable as a
// safety net. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace ptsim {

// Go's unicode.IsPrint (strconv.IsPrint): letters, marks, numbers,
// punctuation, symbols and U+0020. Not printable: C0 and C1 controls, DEL,
// U+00AD, spaces other than U+0020, line and paragraph separators, format
// characters (bidi controls such as U+202E, zero-width characters, U+FEFF),
// private use and noncharacters. Unassigned code points, which Go also treats
// as non-printable, are printable here (ptsim carries no Unicode tables).
bool IsGoPrintable(char32_t cp);

// strconv.Quote: double quotes, with \" \\ \a \b \f \n \r \t \v, \xNN for
// other control bytes below U+0080 and for bytes that are not valid UTF-8,
// \uNNNN or \UNNNNNNNN for other non-printable code points; printable UTF-8
// is kept as it is.
std::string GoQuote(std::string_view text);

// The same escapes without the surrounding quotes and without escaping '"'
// and '\': printable text comes out unchanged.
std::string EscapeUnprintable(std::string_view text);

}  // namespace ptsim
