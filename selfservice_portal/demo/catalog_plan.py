"""The demo service catalog: five departments, their services, forms and approvals. Frappe-free."""

from selfservice_portal.demo.plan import DEPARTMENTS

MANAGER = "Requester's Manager"
HEAD = "Department Head"


def f(
	label: str,
	fieldtype: str = "Data",
	required: bool = False,
	options: tuple[str, ...] = (),
	help_text: str = "",
) -> dict:
	return {
		"label": label,
		"fieldtype": fieldtype,
		"is_required": int(required),
		"options": "\n".join(options),
		"help_text": help_text,
	}


def step(kind: str, label: str, rule: str = "Any of", role: str | None = None) -> dict:
	return {"approver_type": kind, "step_label": label, "approval_rule": rule, "approver_role": role}


DESCRIPTION = {
	"IT": ("💻", "Laptops, accounts, access and everything with a power cable."),
	"HR": ("🧑\u200d💼", "Leave, business trips, certificates and payroll questions."),
	"Facilities": ("🏢", "Furniture, office supplies, building passes and repairs."),
	"Legal": ("⚖️", "Contracts, NDAs and powers of attorney."),
	"Accounting": ("🧾", "Expenses, invoices and cost centres."),
}

# department -> [(title, kind, short description, hours, fields, approval steps, related article titles)]
SERVICES = {
	"IT": [
		(
			"Broken laptop",
			"Incident",
			"Your laptop does not start or is damaged.",
			8,
			[
				f("Asset tag", required=True, help_text="On the sticker under the laptop"),
				f("What happened", "Text", True),
				f("Photo", "Attach"),
			],
			[],
			["My laptop does not start"],
		),
		(
			"New laptop or monitor",
			"Service Request",
			"Equipment for a new joiner or a replacement.",
			72,
			[
				f("Item", "Select", True, ("Laptop", "Monitor", "Docking station")),
				f("For whom", "User"),
				f("Reason", "Text", True),
			],
			[step(MANAGER, "Manager")],
			[],
		),
		(
			"Access to a system",
			"Service Request",
			"Get an account or a role in a business system.",
			24,
			[
				f("System", "Select", True, ("CRM", "ERP", "HR portal", "File share")),
				f("Access level", "Select", True, ("Read", "Write", "Admin")),
				f("Justification", "Text", True),
			],
			[step(MANAGER, "Manager"), step(HEAD, "IT head")],
			[],
		),
		(
			"VPN problem",
			"Incident",
			"You cannot connect from home or on the road.",
			4,
			[f("Error message"), f("Since when", "Date")],
			[],
			["Connecting to the VPN from home"],
		),
		(
			"Password reset",
			"Incident",
			"Locked out of your account.",
			2,
			[f("Account", "Select", True, ("E-mail", "Windows", "CRM"))],
			[],
			["How to reset your password"],
		),
		(
			"Install software",
			"Service Request",
			"Software that is not in the self-service store.",
			24,
			[f("Software", required=True), f("Licence needed", "Check")],
			[step(MANAGER, "Manager")],
			[],
		),
	],
	"HR": [
		(
			"Leave",
			"Service Request",
			"Annual, sick or unpaid leave.",
			24,
			[
				f("Leave type", "Select", True, ("Annual", "Sick", "Unpaid")),
				f("Dates", "Date Range", True),
				f("Note", "Text"),
			],
			[step(MANAGER, "Manager")],
			["How to request leave"],
		),
		(
			"Business trip",
			"Service Request",
			"Travel for work, approved before you book.",
			48,
			[
				f("Destination", required=True),
				f("Dates", "Date Range", True),
				f("Purpose", "Text", True),
				f("Estimated budget", "Number", True),
			],
			[step(MANAGER, "Manager"), step(HEAD, "HR head")],
			["Business trips: what to prepare"],
		),
		(
			"Certificate of employment",
			"Service Request",
			"For a bank, a visa or a landlord.",
			48,
			[
				f("Addressed to", required=True),
				f("Language", "Select", True, ("English", "German", "French")),
			],
			[],
			[],
		),
		(
			"Payslip question",
			"Service Request",
			"Something on your payslip looks wrong.",
			48,
			[f("Month", "Date", True), f("Question", "Text", True)],
			[],
			[],
		),
		(
			"Update personal data",
			"Service Request",
			"New address, bank account or name.",
			24,
			[
				f("What changes", "Select", True, ("Address", "Bank account", "Name")),
				f("New value", "Text", True),
			],
			[],
			[],
		),
		(
			"New employee onboarding",
			"Service Request",
			"A contract, an account and a laptop, a desk and a pass for someone who joins.",
			168,
			[
				f("Employee name", required=True),
				f("Start date", "Date", True),
				f("Job title", required=True),
				f("Room", help_text="Where their desk should be"),
			],
			[step(MANAGER, "Manager")],
			[],
		),
		(
			"Employee leaving",
			"Service Request",
			"Exit paperwork, access revoked on the last day and the building pass collected.",
			240,
			[
				f("Employee name", required=True),
				f("Leaving date", "Date", True),
				f("Equipment to return", "Text"),
			],
			[],
			[],
		),
	],
	"Facilities": [
		(
			"New chair",
			"Service Request",
			"A standard or ergonomic office chair.",
			72,
			[
				f("Model", "Select", True, ("Standard", "Ergonomic")),
				f("Room", required=True),
				f("Medical note", "Attach"),
			],
			[step(MANAGER, "Manager")],
			["Ordering furniture and office supplies"],
		),
		(
			"Office supplies",
			"Service Request",
			"Notebooks, pens, toner and the like.",
			24,
			[f("Items", "Text", True), f("Room", required=True)],
			[],
			["Ordering furniture and office supplies"],
		),
		(
			"Building pass for a visitor",
			"Service Request",
			"A day pass for a guest.",
			24,
			[f("Visitor's full name", required=True), f("Visit date", "Date", True), f("Escorted", "Check")],
			[],
			["Visitor building passes"],
		),
		(
			"Desk move",
			"Service Request",
			"Move your desk to another room.",
			120,
			[f("From room", required=True), f("To room", required=True), f("Move date", "Date", True)],
			[step(HEAD, "Facilities head")],
			[],
		),
		(
			"Repair",
			"Incident",
			"Something is broken in the building.",
			24,
			[f("Where", required=True), f("What is broken", "Text", True), f("Photo", "Attach")],
			[],
			[],
		),
	],
	"Legal": [
		(
			"NDA review",
			"Service Request",
			"Review a non-disclosure agreement.",
			48,
			[f("Counterparty", required=True), f("Document", "Attach", True)],
			[],
			[],
		),
		(
			"Contract review",
			"Service Request",
			"Review a contract before signing.",
			96,
			[f("Counterparty", required=True), f("Contract value", "Number"), f("Document", "Attach", True)],
			[step(HEAD, "Legal head")],
			[],
		),
		(
			"Power of attorney",
			"Service Request",
			"Authority to sign on the company's behalf.",
			96,
			[f("For whom", "User", True), f("Scope", "Text", True), f("Valid", "Date Range", True)],
			[step(MANAGER, "Manager"), step(HEAD, "Legal head")],
			[],
		),
		(
			"Legal question",
			"Service Request",
			"Anything else for the legal team.",
			72,
			[f("Question", "Text", True)],
			[],
			[],
		),
	],
	"Accounting": [
		(
			"Expense reimbursement",
			"Service Request",
			"Get back what you paid for the company.",
			72,
			[
				f("Amount", "Number", True),
				f("Date", "Date", True),
				f("Receipt", "Attach", True),
				f("Purpose", "Text", True),
			],
			[step(MANAGER, "Manager")],
			["Submitting an expense report"],
		),
		(
			"Supplier invoice question",
			"Service Request",
			"An invoice was not paid or looks wrong.",
			48,
			[f("Supplier", required=True), f("Invoice number", required=True), f("Question", "Text", True)],
			[],
			[],
		),
		(
			"Cost centre change",
			"Service Request",
			"Move costs or people to another cost centre.",
			72,
			[
				f("From cost centre", required=True),
				f("To cost centre", required=True),
				f("From date", "Date", True),
			],
			[step(MANAGER, "Manager"), step(HEAD, "Accounting head")],
			[],
		),
		(
			"Corporate card",
			"Service Request",
			"Apply for a company credit card.",
			120,
			[f("Monthly limit", "Number", True), f("Reason", "Text", True)],
			[step(MANAGER, "Manager"), step(HEAD, "Accounting head", "All of")],
			[],
		),
		(
			"Budget question",
			"Service Request",
			"Questions about your team's budget.",
			48,
			[f("Question", "Text", True)],
			[],
			[],
		),
	],
}


def department_heads() -> dict[str, str]:
	return {d.team: d.agent_emails[0] for d in DEPARTMENTS}


def manager_of(index: int, emails: list[str]) -> str:
	"""Demo reporting lines: the first portal user manages the others; an IT agent manages the first."""
	return emails[0] if index else DEPARTMENTS[0].agent_emails[1]
