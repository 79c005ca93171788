#include "sim/model/label_selector.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/core/go_quote.hpp"
#include "sim/model/dns_name.hpp"

namespace ptsim {
namespace {

// A token of kubectl's selector syntax (apimachinery labels.Lexer).
struct Token {
  enum class Kind { kEnd, kIdentifier, kComma, kOpen, kClose, kBang, kEquals, kNotEquals, kOrder };
  Kind kind = Kind::kEnd;
  std::string text;
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsSpecial(char c) {
  return c == ',' || c == '(' || c == ')' || c == '!' || c == '=' || c == '<' || c == '>';
}

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    Token t;
    if (c == ',') {
      t = {Token::Kind::kComma, ","};
    } else if (c == '(') {
      t = {Token::Kind::kOpen, "("};
    } else if (c == ')') {
      t = {Token::Kind::kClose, ")"};
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') {
      t = {Token::Kind::kNotEquals, "!="};
    } else if (c == '!') {
      t = {Token::Kind::kBang, "!"};
    } else if (c == '=' && i + 1 < s.size() && s[i + 1] == '=') {
      t = {Token::Kind::kEquals, "=="};
    } else if (c == '=') {
      t = {Token::Kind::kEquals, "="};
    } else if (c == '<' || c == '>') {
      t = {Token::Kind::kOrder, std::string(1, c)};
    } else {
      std::size_t j = i;
      while (j < s.size() && !IsSpace(s[j]) && !IsSpecial(s[j]))
        ++j;
      tokens.push_back({Token::Kind::kIdentifier, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    i += t.text.size();
    tokens.push_back(std::move(t));
  }
  tokens.push_back({Token::Kind::kEnd, ""});
  return tokens;
}

std::string Describe(const Token& t) {
  return t.kind == Token::Kind::kEnd ? "the end" : GoQuote(t.text);
}

// validation.IsQualifiedName: [prefix/]name, the prefix a DNS-1123 subdomain.
std::string CheckKey(const std::string& key) {
  std::string_view name = key;
  const auto slash = key.find('/');
  if (slash != std::string::npos) {
    const std::string_view prefix = std::string_view(key).substr(0, slash);
    name = std::string_view(key).substr(slash + 1);
    if (prefix.empty()) return "prefix part must be non-empty";
    if (prefix.size() > 253 || !MatchesDns1123Subdomain(prefix)) {
      return "prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters";
    }
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  if (!MatchesQualifiedNamePart(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
           "and end with an alphanumeric character";
  }
  return "";
}

// validation.IsValidLabelValue.
std::string CheckValue(const std::string& value) {
  if (value.size() > 63) return "must be no more than 63 characters";
  if (!value.empty() && !MatchesQualifiedNamePart(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', "
           "'_' or '.', and must start and end with an alphanumeric character";
  }
  return "";
}

}  // namespace

LabelSelector LabelSelector::FromLabels(const Labels& match_labels) {
  LabelSelector s;
  for (const auto& [k, v] : match_labels) {
    s.requirements_.push_back({k, LabelRequirement::Op::kEquals, {v}});
  }
  return s;
}

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector s;
  Diagnostics diags;
  const std::vector<Token> tokens = Lex(text);
  if (tokens.size() == 1) return s;  // empty: matches everything
  std::size_t i = 0;
  auto fail = [&](const std::string& why) {
    diags.Error({}, "", "", fmt::format("invalid label selector {}: {}", GoQuote(text), why));
    return diags;
  };
  using K = Token::Kind;
  while (true) {
    LabelRequirement r;
    const Token& first = tokens[i++];
    if (first.kind == K::kBang) {
      if (tokens[i].kind != K::kIdentifier) {
        return fail(fmt::format("found {}, expected a key after '!'", Describe(tokens[i])));
      }
      r.key = tokens[i++].text;
      r.op = LabelRequirement::Op::kDoesNotExist;
    } else if (first.kind == K::kIdentifier) {
      r.key = first.text;
      const Token& op = tokens[i];
      if (op.kind == K::kEnd || op.kind == K::kComma) {
        r.op = LabelRequirement::Op::kExists;
      } else if (op.kind == K::kEquals || op.kind == K::kNotEquals) {
        ++i;
        r.op = op.kind == K::kEquals ? LabelRequirement::Op::kEquals
                                     : LabelRequirement::Op::kNotEquals;
        if (tokens[i].kind == K::kIdentifier) {
          r.values = {tokens[i++].text};
        } else if (tokens[i].kind == K::kEnd || tokens[i].kind == K::kComma) {
          r.values = {""};
        } else {
          return fail(
              fmt::format("found {}, expected a value after {}", Describe(tokens[i]), op.text));
        }
      } else if (op.kind == K::kIdentifier && (op.text == "in" || op.text == "notin")) {
        ++i;
        r.op = op.text == "in" ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
        if (tokens[i++].kind != K::kOpen) {
          return fail(fmt::format("expected a parenthesised value list after {}", op.text));
        }
        while (true) {
          if (tokens[i].kind == K::kIdentifier) {
            r.values.push_back(tokens[i++].text);
          } else {
            r.values.push_back("");
          }
          if (tokens[i].kind == K::kComma) {
            ++i;
            continue;
          }
          if (tokens[i].kind == K::kClose) {
            ++i;
            break;
          }
          return fail(fmt::format("found {}, expected ',' or ')' in the value list of {}",
                                  Describe(tokens[i]), GoQuote(r.key)));
        }
        if (r.values.size() == 1 && r.values.front().empty()) {
          return fail(fmt::format("the value list of {} for {} must not be empty", op.text,
                                  GoQuote(r.key)));
        }
      } else if (op.kind == K::kOrder) {
        return fail(
            fmt::format("operator {} is not supported; use =, ==, !=, in or notin", op.text));
      } else {
        return fail(fmt::format("found {}, expected an operator (=, ==, !=, in, notin) after {}",
                                Describe(op), GoQuote(r.key)));
      }
    } else {
      return fail(fmt::format("found {}, expected a key", Describe(first)));
    }
    if (auto why = CheckKey(r.key); !why.empty()) {
      return fail(fmt::format("key {}: {}", GoQuote(r.key), why));
    }
    for (const auto& v : r.values) {
      if (auto why = CheckValue(v); !why.empty()) {
        return fail(fmt::format("value {}: {}", GoQuote(v), why));
      }
    }
    s.requirements_.push_back(std::move(r));
    if (tokens[i].kind == K::kEnd) break;
    if (tokens[i].kind != K::kComma) {
      return fail(fmt::format("found {}, expected ',' or the end", Describe(tokens[i])));
    }
    ++i;
  }
  return s;
}

bool LabelSelector::Matches(const Labels& labels) const {
  for (const auto& r : requirements_) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    auto in_values = [&] {
      return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    };
    switch (r.op) {
      case LabelRequirement::Op::kEquals:
      case LabelRequirement::Op::kIn:
        if (!in_values()) return false;
        break;
      case LabelRequirement::Op::kNotEquals:
      case LabelRequirement::Op::kNotIn:
        if (in_values()) return false;
        break;
      case LabelRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

std::string LabelSelector::ToString() const {
  std::vector<std::string> parts;
  for (const auto& r : requirements_) {
    switch (r.op) {
      case LabelRequirement::Op::kEquals:
        parts.push_back(r.key + "=" + r.values.front());
        break;
      case LabelRequirement::Op::kNotEquals:
        parts.push_back(r.key + "!=" + r.values.front());
        break;
      case LabelRequirement::Op::kIn:
        parts.push_back(fmt::format("{} in ({})", r.key, fmt::join(r.values, ",")));
        break;
      case LabelRequirement::Op::kNotIn:
        parts.push_back(fmt::format("{} notin ({})", r.key, fmt::join(r.values, ",")));
        break;
      case LabelRequirement::Op::kExists:
        parts.push_back(r.key);
        break;
      case LabelRequirement::Op::kDoesNotExist:
        parts.push_back("!" + r.key);
        break;
    }
  }
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace ptsim
