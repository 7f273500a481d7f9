"""Static checks on the app's layout and conventions, read from the files (no frappe import).

They keep later work honest: prefixed DocTypes in their own module, patches that resolve, typed and
permission-checked whitelisted methods, no commits inside controllers.
"""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "selfservice_portal"


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()


def modules() -> list[str]:
	return [line.strip() for line in (APP / "modules.txt").read_text().splitlines() if line.strip()]


def doctype_jsons() -> list[Path]:
	return sorted(p for p in APP.glob("*/doctype/*/*.json") if p.stem == p.parent.name)


def python_sources() -> list[Path]:
	return sorted(p for p in APP.rglob("*.py") if "node_modules" not in p.parts)


def test_one_module_per_capability_with_a_package():
	assert modules() == ["Service Catalog", "Deflection", "Contests"]
	for module in modules():
		assert (APP / scrub(module) / "__init__.py").exists(), module


@pytest.mark.parametrize("path", doctype_jsons(), ids=lambda p: p.parent.name)
def test_doctypes_are_prefixed_and_live_in_their_module(path: Path):
	meta = json.loads(path.read_text())
	assert meta["name"].startswith("SSP "), meta["name"]
	assert scrub(meta["name"]) == path.parent.name
	assert meta["module"] in modules()
	assert path.parts[-4] == scrub(meta["module"])
	controller = path.with_suffix(".py")
	assert controller.exists()
	class_name = meta["name"].replace(" ", "")
	assert f"class {class_name}(" in controller.read_text()
	if not meta.get("istable"):
		assert (path.parent / f"test_{path.parent.name}.py").exists(), "every DocType has its test module"


def test_patches_resolve_to_modules_with_execute():
	for line in (APP / "patches.txt").read_text().splitlines():
		line = line.strip()
		if not line or line.startswith(("#", "[")):
			continue
		module = ROOT / (line.split()[0].replace(".", "/") + ".py")
		assert module.exists(), line
		assert "def execute(" in module.read_text()


def test_hooks_declare_helpdesk_and_lifecycle():
	hooks = {}
	exec(compile((APP / "hooks.py").read_text(), "hooks.py", "exec"), hooks)
	assert hooks["required_apps"] == ["helpdesk"]
	for key in ("after_install", "before_uninstall", "after_migrate", "before_tests"):
		dotted = hooks[key]
		module_path, _, function = dotted.rpartition(".")
		source = (ROOT / (module_path.replace(".", "/") + ".py")).read_text()
		assert f"def {function}(" in source, dotted


def test_pyproject_declares_frappe_dependencies():
	text = (ROOT / "pyproject.toml").read_text()
	assert "[tool.bench.frappe-dependencies]" in text
	assert re.search(r'^helpdesk = ">=1\.25\.1', text, re.M)
	assert (ROOT / "setup.py").read_text().count("\n") <= 1


def _whitelisted_functions():
	for path in python_sources():
		tree = ast.parse(path.read_text())
		for node in ast.walk(tree):
			if isinstance(node, ast.FunctionDef) and any(
				"whitelist" in ast.unparse(d) for d in node.decorator_list
			):
				yield path, node


# Wrappers of Helpdesk methods keep Helpdesk's exact signature and let it do its own checks.
DELEGATING_MODULES = {"selfservice_portal/deflection/kb_wrappers.py"}


def test_whitelisted_methods_are_typed_and_check_permission_first():
	for path, fn in _whitelisted_functions():
		where = f"{path.relative_to(ROOT)}:{fn.name}"
		if str(path.relative_to(ROOT)) in DELEGATING_MODULES:
			continue
		assert "whitelist" in ast.unparse(fn.decorator_list[0]), (
			f"{where}: @frappe.whitelist() must be outermost"
		)
		args = fn.args.args + fn.args.kwonlyargs
		assert all(a.annotation is not None for a in args), f"{where}: annotate every argument"
		assert fn.returns is not None, f"{where}: annotate the return type"
		# The guard is a decorator right under the whitelist (permissions.login_required /
		# roles_required, in the shape of Helpdesk's agent_only) or the body's first statement.
		guard = ast.unparse(fn.decorator_list[1]) if len(fn.decorator_list) > 1 else ""
		if re.match(r"(login_required|roles_required\()", guard):
			continue
		body = [n for n in fn.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
		first = ast.unparse(body[0]) if body else ""
		assert re.search(r"has_permission|only_for|check_permission|require_", first), (
			f"{where}: a guard decorator or the first statement must check permission"
		)


def test_no_commit_in_controllers_or_doc_events():
	for path in python_sources():
		if "doctype" not in path.parts and path.name != "events.py":
			continue
		for lineno, line in enumerate(path.read_text().splitlines(), 1):
			assert "frappe.db.commit()" not in line or "nosemgrep" in line, f"{path}:{lineno}"


def test_package_init_imports_nothing():
	source = (APP / "__init__.py").read_text()
	assert "import" not in source and "__version__" in source


def test_nothing_outside_api_imports_the_api():
	"""api/ is the thin face of the app: logic and guards live elsewhere, so nothing points back up
	(tests of the API excepted)."""
	for path in python_sources():
		relative = path.relative_to(APP)
		if relative.parts[0] == "api" or path.name.startswith("test_"):
			continue
		source = path.read_text()
		assert not re.search(
			r"^\s*(from selfservice_portal\.api\b|from selfservice_portal import api\b)", source, re.M
		), f"{relative} imports selfservice_portal.api"


def test_role_sets_are_declared_once():
	for path in python_sources():
		if path.name == "permissions.py" or path.name.startswith("test_") or "tests" in path.parts:
			continue
		source = path.read_text()
		assert not re.search(
			r'(MANAGER|STAFF|AGENT|DESK)\w*\s*=\s*(frozenset\(\{|\(|\{)\s*"(System Manager|SSP Manager|Agent)',
			source,
		), f"{path.relative_to(APP)} declares a role set: use selfservice_portal.permissions"


def imported_modules(path: Path) -> set[str]:
	"""Every module ``path`` imports, relative imports resolved, read from its syntax tree."""
	package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
	found = set()
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.Import):
			found.update(alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom):
			base = node.module or ""
			if node.level:
				parts = package.split(".")[: len(package.split(".")) - node.level + 1]
				base = ".".join([*parts, base] if base else parts)
			found.add(base)
			found.update(f"{base}.{alias.name}" for alias in node.names)
	return found


def test_the_import_graph_has_no_arrow_up_to_the_api():
	"""Walks every module's imports (including `from . import x` and `from selfservice_portal import
	api`): only api/ itself and tests import selfservice_portal.api."""
	offenders = []
	for path in python_sources():
		relative = path.relative_to(APP)
		if relative.parts[0] == "api" or path.name.startswith("test_") or "tests" in relative.parts:
			continue
		for module in imported_modules(path):
			if module == "selfservice_portal.api" or module.startswith("selfservice_portal.api."):
				offenders.append(f"{relative} imports {module}")
	assert not offenders, offenders


def is_test_or_tool(path: Path) -> bool:
	relative = path.relative_to(APP)
	return path.name.startswith("test_") or relative.parts[0] in ("tests", "benchmarks")


def test_no_module_over_400_lines():
	"""Tests and benchmark scripts excepted."""
	long = {
		str(p.relative_to(APP)): n
		for p in python_sources()
		if not is_test_or_tool(p) and (n := len(p.read_text().splitlines())) > 400
	}
	assert not long, long


# Functions that are data tables, not logic: each is one literal the reader scans, not steps.
DATA_TABLES = {
	"setup/custom_fields.py:get_custom_fields",
	"contests/metrics.py:builtin_metrics",
}


def test_no_function_over_60_lines():
	long = {}
	for path in python_sources():
		if is_test_or_tool(path):
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
				where = f"{path.relative_to(APP)}:{node.name}"
				if node.end_lineno - node.lineno + 1 > 60 and where not in DATA_TABLES:
					long[where] = node.end_lineno - node.lineno + 1
	assert not long, long


# Wrappers that keep another app's signature to the letter (pinned by deflection/test_kb_wrappers.py,
# which compares inspect.signature, return annotation included): Helpdesk's get_article has none.
FOREIGN_SIGNATURES = {"deflection/kb_wrappers.py:get_article"}


def test_every_function_outside_tests_is_typed():
	"""Every parameter (self and cls excepted, *args and **kwargs included) and every return is
	annotated, in every module but the tests."""
	untyped = []
	for path in python_sources():
		relative = path.relative_to(APP)
		if path.name.startswith("test_") or relative.parts[0] == "tests":
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
				continue
			where = f"{relative}:{node.name}"
			if where in FOREIGN_SIGNATURES:
				continue
			arguments = node.args
			parameters = [
				*arguments.posonlyargs,
				*arguments.args,
				*arguments.kwonlyargs,
				*([arguments.vararg] if arguments.vararg else []),
				*([arguments.kwarg] if arguments.kwarg else []),
			]
			missing = [a.arg for a in parameters if a.annotation is None and a.arg not in ("self", "cls")]
			if node.returns is None:
				missing.append("return")
			if missing:
				untyped.append(f"{where}:{node.lineno} ({', '.join(missing)})")
	assert not untyped, "annotate:\n" + "\n".join(untyped)
