"""/service-approval: requests waiting for my decision; ``?request=`` shows one with approve / reject.

A ``decision`` in the link (from the approval e-mail) only pre-selects the button: deciding is
always a POST by a signed-in approver (selfservice_portal.api.catalog.decide_approval).
"""

import frappe
from frappe import _

from selfservice_portal.db_routing import replica_page
from selfservice_portal.page_templates import www_page
from selfservice_portal.permissions import is_admin, redirect_guest
from selfservice_portal.service_catalog import approver_inbox

no_cache = 1


@www_page
@replica_page
def get_context(context: frappe._dict) -> frappe._dict:
	redirect_guest(
		"/service-approval"
		+ (f"?request={frappe.form_dict.request}" if frappe.form_dict.get("request") else "")
	)
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Approvals")
	context.update(
		approver_inbox.approval_page(
			frappe.form_dict.get("request"),
			frappe.form_dict.get("decision"),
			frappe.session.user,
			is_admin(frappe.session.user),
		)
	)
	return context
