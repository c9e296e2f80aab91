"""Validates docs/contracts/examples with Python's jsonschema against the exported schemas, as a producer in
another language would, and prints one JSON verdict per vector: {"name", "message", "valid", "errors"}."""
import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator


def main(contracts: Path) -> None:
    vectors = json.loads((contracts / "examples" / "vectors.json").read_text(encoding="utf-8"))
    validators = {}
    verdicts = []
    for vector in vectors:
        if vector["json_schema"] == "not_json":
            continue
        name = vector["message"]
        if name not in validators:
            schema = json.loads((contracts / f"{name}.schema.json").read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            validators[name] = Draft202012Validator(schema)
        # json.loads, like most parsers, turns 1e400 into infinity and keeps lone surrogates of \\ud800 escapes.
        instance = json.loads((contracts / "examples" / vector["file"]).read_bytes())
        errors = [error.json_path for error in validators[name].iter_errors(instance)]
        verdicts.append({"name": vector["name"], "message": name, "valid": not errors, "errors": errors})
    json.dump(verdicts, sys.stdout)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
