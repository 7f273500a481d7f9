"""What a contest metric is: the period and audience it is computed over (``Context``), a
participant's result (``Score``) and the metric itself (``Metric``), plus the reasons a record did
not count. Other apps build ``Metric`` objects from these (see ``contests.metrics``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

# Reasons a record did not count (stable keys; translated when shown).
EXCLUDED, TRIVIAL, OVER_CAP, NOT_PORTAL, NOT_RATED, TICKET_FOLLOWED, SAME_ARTICLE, REJECTED = (
	"excluded by an agent",
	"trivial content",
	"over the daily cap",
	"not through the portal",
	"not rated",
	"a ticket followed",
	"article counted already",
	"request rejected",
)
CANCELLED = "request withdrawn"


@dataclass
class Context:
	start: datetime
	end: datetime
	audience_sql: str  # condition on a column named {user}
	audience_params: dict
	daily_cap: int = 5
	min_length: int = 20
	deflection_window_hours: int = 72
	# A burst: ``burst_tickets`` tickets of one user within ``burst_minutes`` (0: not looked for).
	burst_tickets: int = 0
	burst_minutes: int = 0
	# Results shared by metrics within one judging run (several metrics read the same ticket scan).
	memo: dict = field(default_factory=dict)

	def audience(self, column: str) -> str:
		return self.audience_sql.format(user=column)

	def params(self, **extra: object) -> dict:
		return {
			"start": self.start,
			"end": self.end,
			"cap": self.daily_cap or 1_000_000,
			"min_length": self.min_length,
			"window": self.deflection_window_hours * 3600,
			# No burst is looked for: the later ticket is never a minute before the earlier one.
			**(
				{"burst_offset": self.burst_tickets - 1, "burst_minutes": self.burst_minutes}
				if self.burst_tickets > 1 and self.burst_minutes > 0
				else {"burst_offset": 1, "burst_minutes": -1}
			),
			**self.audience_params,
			**extra,
		}


@dataclass
class Score:
	user: str
	score: float
	base: float
	achieved_on: datetime | None
	counted: int
	not_counted: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
	key: str
	label: str
	description: str
	scores: Callable[[Context], list[Score]]
	records: Callable[[Context, str], list[dict]]
	unit: str = ""  # "%" for a share (scores 0 to 1), else what is counted ("requests")
	base_unit: str = ""  # what the eligibility floor counts, when it is not the score's unit

	@property
	def floor_unit(self) -> str:
		return self.base_unit or self.unit
