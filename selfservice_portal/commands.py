"""`bench --site SITE selfservice-portal …` commands (Frappe's app `commands` mechanism)."""

import click
import frappe
from frappe.commands import get_site, pass_context


@click.group("selfservice-portal")
def selfservice_portal() -> None:
	"""Self-Service Portal commands."""


@selfservice_portal.command("demo")
@pass_context
def demo(context: frappe._dict) -> None:
	"""Seed departments, agents, portal users, articles and tickets across channels (re-runnable)."""
	from selfservice_portal.demo.seed import run_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		run_demo(log=click.echo)
		frappe.db.commit()  # nosemgrep: a CLI command owns its transaction; the demo is kept
		click.secho(f"Demo data is ready on {site}.", fg="green")
	finally:
		frappe.destroy()


commands = [selfservice_portal]
