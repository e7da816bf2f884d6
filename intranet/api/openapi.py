"""The OpenAPI 3.0.3 description of /api/v1, served at /api/v1/openapi.json.

Written by hand as data. tests/functional/test_api.py keeps it honest: every path here is a
route, every api.* route is here, and real responses are checked against these schemas.
"""

from __future__ import annotations

import copy

from intranet.plugin.forms import VALUE_TYPES
from intranet.reports.models import PERIOD_KINDS, STATES
from intranet.reports.workflow import WORKFLOW

#: Every action a report's history can show: the report workflow's transitions.
ACTIONS = sorted({t.action for t in WORKFLOW.transitions})


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    if "$ref" in schema:  # siblings of a $ref are ignored in OpenAPI 3.0
        return {"nullable": True, "allOf": [schema]}
    return {**schema, "nullable": True}


def obj(properties: dict, required=None, **extra) -> dict:
    """An object schema; every property required unless ``required`` says otherwise."""
    required = list(properties) if required is None else list(required)
    schema = {"type": "object", "properties": properties, **extra}
    if required:  # OpenAPI 3.0 (JSON Schema draft 4) forbids an empty "required" list
        schema["required"] = required
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time", "description": "UTC, e.g. 2017-06-02T09:30:00Z"}
#: A count of children from 1 to 4, or a count hidden so that no total gives one away.
HIDDEN_COUNT = {
    "type": "string",
    "enum": ["< 5"],
    "description": 'A count of children from 1 to 4, or one hidden with it so that no total gives it away: "< 5".',
}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def error_response(description: str, schema: str = "Error") -> dict:
    return {"description": description, "content": json_content(ref(schema))}


UNAUTHORIZED = error_response("Not signed in, or the API token is wrong or revoked.")
FORBIDDEN = error_response("Signed in, but without the permission this call needs.")
NOT_FOUND = error_response("No such object.")
HIDDEN_OR_NOT_FOUND = error_response(
    "No such report, or one the caller may not read: both answer alike, so ids cannot be probed."
)

REPORT_ID = {
    "name": "report_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
    "description": "The report's id, as listed by GET /api/v1/reports.",
}
LOCALE = {
    "name": "_LOCALE_",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["vi", "en"]},
    "description": "Language of the error messages (Vietnamese by default).",
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Every error. Some carry more fields: `parameter`, `element`, `option`, `narrative`, "
        "`allowed`, `errors` (validation) or `version` (conflict).",
        "properties": {
            "error": {"type": "string", "description": "A stable code, e.g. unknown_period, conflict."},
            "message": {"type": "string", "description": "What went wrong, for people (Vietnamese by default)."},
            "parameter": STRING,
            "element": STRING,
            "option": STRING,
            "narrative": STRING,
            "allowed": {"type": "array", "items": STRING},
        },
        "required": ["error", "message"],
    },
    "ValidationError": {
        "allOf": [
            ref("Error"),
            obj(
                {
                    "errors": {
                        "type": "object",
                        "additionalProperties": STRING,
                        "description": "Message per field: `code`, `code[option]` or `narratives.<key>`.",
                    },
                },
                required=[],
            ),
        ],
    },
    "Conflict": {
        "allOf": [ref("Error"), obj({"version": {"type": "integer", "description": "The report's current version."}})],
    },
    "Space": obj(
        {
            "slug": STRING,
            "kind": STRING,
            "category": {"type": "string", "enum": ["agency", "commune"]},
            "title": STRING,
            "title_en": STRING,
            "url": STRING,
        }
    ),
    "SpaceList": obj({"spaces": {"type": "array", "items": ref("Space")}}),
    "Period": obj(
        {
            "code": STRING,
            "kind": {"type": "string", "enum": list(PERIOD_KINDS)},
            "year": INTEGER,
            "title": STRING,
            "title_en": STRING,
            "start_date": DATE,
            "end_date": DATE,
            "due_date": {**DATE, "description": "Reports first submitted on or before this day are on time."},
            "lock_date": {**DATE, "description": "After this day units can no longer edit unless reopened."},
        }
    ),
    "PeriodList": obj({"periods": {"type": "array", "items": ref("Period")}}),
    "Option": obj({"code": STRING, "label": STRING, "label_en": STRING}),
    "Disaggregation": obj(
        {"key": STRING, "label": STRING, "label_en": STRING, "options": {"type": "array", "items": ref("Option")}}
    ),
    "DataElement": obj(
        {
            "code": STRING,
            "label": STRING,
            "label_en": STRING,
            "value_type": {"type": "string", "enum": list(VALUE_TYPES)},
            "disaggregation": nullable(ref("Disaggregation")),
            "compulsory": {**BOOLEAN, "description": "Required before the report can be submitted."},
            "minimum": nullable(NUMBER),
            "maximum": nullable(NUMBER),
            "unit": STRING,
            "additive": {
                **BOOLEAN,
                "description": "False for a figure that means nothing once added across units (a "
                "score, a rate): the consolidation gives each unit's figure, no total.",
            },
            "overlapping": {
                **BOOLEAN,
                "description": "True for a figure several parties report about the same people: "
                "each party's total is given, not added into one.",
            },
        }
    ),
    "Narrative": obj({"key": STRING, "label": STRING, "label_en": STRING, "compulsory": BOOLEAN}),
    "Section": obj(
        {
            "key": STRING,
            "title": STRING,
            "title_en": STRING,
            "elements": {"type": "array", "items": ref("DataElement")},
            "narratives": {"type": "array", "items": ref("Narrative")},
        }
    ),
    "Rule": obj(
        {
            "left": STRING,
            "op": {"type": "string", "enum": ["<=", "<", ">=", ">", "=="]},
            "right": STRING,
            "message": STRING,
            "message_en": STRING,
        },
        description="`left op right`, checked on submission when both sides are filled; a side names an "
        "element (its total) or one cell as `code[option]`.",
    ),
    "Form": obj(
        {
            "key": STRING,
            "title": STRING,
            "title_en": STRING,
            "space_kind": STRING,
            "period_types": {"type": "array", "items": {"type": "string", "enum": list(PERIOD_KINDS)}},
            "version": INTEGER,
            "sections": {"type": "array", "items": ref("Section")},
            "rules": {"type": "array", "items": ref("Rule")},
        }
    ),
    "FormList": obj({"forms": {"type": "array", "items": ref("Form")}}),
    "ReportSummary": obj(
        {
            "id": INTEGER,
            "url": STRING,
            "form_key": STRING,
            "form_version": {**INTEGER, "description": "The version of the form the report was filed under."},
            "version": {**INTEGER, "description": "Moves on every save and transition; send it back with PUT values."},
            "space": {**STRING, "description": "The unit's slug."},
            "period": {**STRING, "description": "The period's code."},
            "state": {"type": "string", "enum": list(STATES)},
            "first_submitted_at": nullable(DATETIME),
            "submitted_at": nullable(DATETIME),
            "accepted_at": nullable(DATETIME),
            "updated_at": DATETIME,
        }
    ),
    "ReportList": obj(
        {
            "reports": {"type": "array", "items": ref("ReportSummary")},
            "total": {**INTEGER, "description": "Reports matching the filters, on all pages."},
            "page": INTEGER,
            "page_size": INTEGER,
            "pages": INTEGER,
        }
    ),
    "Value": obj(
        {
            "element": {**STRING, "description": "A data element code of the report's form."},
            "option": {**STRING, "description": 'The disaggregation option, or "" for an undivided figure.'},
            "value": {
                "oneOf": [NUMBER, STRING],
                "nullable": True,
                "description": "A JSON number for numeric elements (yes/no: 1 or 0), a string for text elements; "
                "null leaves the cell empty. Read by anyone but the unit itself, a count of children from 1 to 4 "
                '(and any count hidden so that no total gives one away) is the string "< 5".',
            },
        }
    ),
    "HistoryEvent": obj(
        {
            "at": DATETIME,
            "action": {"type": "string", "enum": ACTIONS},
            "from_state": nullable({"type": "string", "enum": list(STATES)}),
            "to_state": {"type": "string", "enum": list(STATES)},
            "user": nullable(STRING),
            "comment": STRING,
        }
    ),
    "ReportDetail": {
        "allOf": [
            ref("ReportSummary"),
            obj(
                {
                    "locked": {**BOOLEAN, "description": "Past the period's lock date and not reopened."},
                    "timeliness": {"type": "string", "enum": ["on_time", "late", "missing"]},
                    "can_edit": {**BOOLEAN, "description": "Whether the caller may PUT values now."},
                    "values": {"type": "array", "items": ref("Value")},
                    "suppressed": {**BOOLEAN, "description": 'Whether some counts of children read "< 5".'},
                    "narratives": {"type": "object", "additionalProperties": STRING},
                    "history": {"type": "array", "items": ref("HistoryEvent")},
                }
            ),
        ],
    },
    "ValuesUpdate": obj(
        {
            "version": {**INTEGER, "description": "The version you read; a stale one gets 409."},
            "values": {
                "type": "array",
                "items": ref("Value"),
                "description": "Every figure of the report: cells left out become empty.",
            },
            "narratives": {
                "type": "object",
                "additionalProperties": nullable(STRING),
                "description": "Optional. When sent, replaces every narrative part (missing keys become "
                "empty); when left out, the narratives stay as they are.",
            },
        },
        required=["version", "values"],
    ),
    "ElementTotal": obj(
        {
            "element": STRING,
            "option": STRING,
            "communes": nullable({"oneOf": [NUMBER, HIDDEN_COUNT]}),
            "agencies": nullable({"oneOf": [NUMBER, HIDDEN_COUNT]}),
            "total": nullable({"oneOf": [NUMBER, HIDDEN_COUNT]}),
        }
    ),
    "IndicatorResult": obj(
        {
            "key": STRING,
            "title": STRING,
            "title_en": STRING,
            "unit": STRING,
            "better": {"type": "string", "enum": ["lower", "higher"]},
            "baseline": nullable(NUMBER),
            "target_text": nullable(STRING),
            "threshold": nullable({**NUMBER, "description": "The value the actual is compared with."}),
            "comparison": nullable({"type": "string", "enum": ["<=", ">="]}),
            "actual": nullable(
                {
                    "oneOf": [NUMBER, HIDDEN_COUNT],
                    "description": 'A count of children under 5 is "< 5"; a share computed from one is null.',
                }
            ),
            "met": nullable(BOOLEAN),
            "achievement": nullable({**NUMBER, "description": "Actual as % of the target (higher-is-better only)."}),
            "suppressed": {
                **BOOLEAN,
                "description": "Whether the actual is hidden: it counts children and would show a count under 5.",
            },
        }
    ),
    "Consolidation": obj(
        {
            "period": ref("Period"),
            "basis": {"type": "string", "enum": ["accepted"], "description": "Only accepted reports are summed."},
            "elements": {"type": "array", "items": ref("ElementTotal")},
            "indicators": {"type": "array", "items": ref("IndicatorResult")},
        }
    ),
}

PATHS = {
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This description",
            "tags": ["meta"],
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document.", "content": json_content({"type": "object"})}},
        },
    },
    "/api/v1/spaces": {
        "get": {
            "operationId": "listSpaces",
            "summary": "The units the caller may see",
            "tags": ["reference"],
            "responses": {
                "200": {"description": "Units.", "content": json_content(ref("SpaceList"))},
                "401": UNAUTHORIZED,
            },
        },
    },
    "/api/v1/periods": {
        "get": {
            "operationId": "listPeriods",
            "summary": "Reporting periods, newest first",
            "tags": ["reference"],
            "responses": {
                "200": {"description": "Periods.", "content": json_content(ref("PeriodList"))},
                "401": UNAUTHORIZED,
            },
        },
    },
    "/api/v1/forms": {
        "get": {
            "operationId": "listForms",
            "summary": "Report forms: sections, data elements, narratives, rules",
            "tags": ["reference"],
            "responses": {
                "200": {"description": "Forms (current versions).", "content": json_content(ref("FormList"))},
                "401": UNAUTHORIZED,
            },
        },
    },
    "/api/v1/reports": {
        "get": {
            "operationId": "listReports",
            "summary": "Reports the caller may list",
            "description": "District roles (admin, coordinator, province) list every unit's reports; others only "
            "those of the units they are members of. 50 per page.",
            "tags": ["reports"],
            "parameters": [
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "schema": STRING,
                    "description": "A period code, e.g. 2017-6t; an unknown code is a 400.",
                },
                {
                    "name": "space",
                    "in": "query",
                    "required": False,
                    "schema": STRING,
                    "description": "A unit's slug; a unit the caller may not list is a 400.",
                },
                {"name": "state", "in": "query", "required": False, "schema": {"type": "string", "enum": list(STATES)}},
                {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
                LOCALE,
            ],
            "responses": {
                "200": {"description": "One page of reports.", "content": json_content(ref("ReportList"))},
                "400": error_response("A filter names nothing known."),
                "401": UNAUTHORIZED,
            },
        },
    },
    "/api/v1/reports/{report_id}": {
        "get": {
            "operationId": "getReport",
            "summary": "One report with its figures, narratives and history",
            "tags": ["reports"],
            "parameters": [REPORT_ID, LOCALE],
            "responses": {
                "200": {"description": "The report.", "content": json_content(ref("ReportDetail"))},
                "401": UNAUTHORIZED,
                "404": HIDDEN_OR_NOT_FOUND,
            },
        },
    },
    "/api/v1/reports/{report_id}/values": {
        "put": {
            "operationId": "putReportValues",
            "summary": "Save a draft's figures",
            "description": (
                "Replaces the figures (and, when sent, the narratives) of an existing report in the draft or "
                "returned state, with the checks of the report page: format and bounds of each figure. It "
                "saves; it does not submit (cross-field rules and compulsory figures are checked on "
                "submission, on the page). A returned report becomes a draft again. Only reports that "
                "exist can be edited here: a report that has not been started yet is created from the "
                "report page. Needs the unit's head or officer role and a period not locked. "
                "With the browser session, send the session's CSRF token in the X-CSRF-Token header; "
                "with an API token no CSRF token is needed."
            ),
            "tags": ["reports"],
            "parameters": [
                REPORT_ID,
                LOCALE,
                {
                    "name": "X-CSRF-Token",
                    "in": "header",
                    "required": False,
                    "schema": STRING,
                    "description": "Required only with cookieAuth.",
                },
            ],
            "requestBody": {"required": True, "content": json_content(ref("ValuesUpdate"))},
            "responses": {
                "200": {"description": "Saved; the report as it is now.", "content": json_content(ref("ReportDetail"))},
                "400": error_response(
                    "The body is malformed, names an unknown element, option or narrative "
                    "(`unknown_element` …), or figures are wrong (`invalid`, with `errors`).",
                    "ValidationError",
                ),
                "401": UNAUTHORIZED,
                "403": FORBIDDEN,
                "404": HIDDEN_OR_NOT_FOUND,
                "409": error_response("Stale `version`: someone saved the report meanwhile.", "Conflict"),
            },
        },
    },
    "/api/v1/consolidation/{period}": {
        "get": {
            "operationId": "getConsolidation",
            "summary": "A period's accepted figures and the indicators",
            "description": "Element totals for the communes and for the district agencies, and every indicator "
            "against its target. District roles only.",
            "tags": ["district"],
            "parameters": [
                {
                    "name": "period",
                    "in": "path",
                    "required": True,
                    "schema": STRING,
                    "description": "A period code, e.g. 2017-6t.",
                },
                LOCALE,
            ],
            "responses": {
                "200": {"description": "The consolidation.", "content": json_content(ref("Consolidation"))},
                "401": UNAUTHORIZED,
                "403": FORBIDDEN,
                "404": NOT_FOUND,
            },
        },
    },
}

OPENAPI = {
    "openapi": "3.0.3",
    "info": {
        "title": "Đăk Tô child-protection intranet API",
        "version": "1.0.0",
        "description": (
            "Read the units, periods, report forms, reports and the district's consolidated figures; save "
            "report drafts. Authenticate with a personal API token (made on /account/tokens, sent as "
            "`Authorization: Bearer <token>`) or with the browser session. Errors are JSON: "
            '`{"error": code, "message": text}`. Numbers are JSON numbers, dates ISO 8601, times UTC.'
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    "tags": [{"name": "meta"}, {"name": "reference"}, {"name": "reports"}, {"name": "district"}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token from /account/tokens.",
            },
            "cookieAuth": {
                "type": "apiKey",
                "in": "cookie",
                "name": "intranet_session",
                "description": "The browser session; unsafe methods also need X-CSRF-Token.",
            },
        },
        "schemas": SCHEMAS,
    },
}


def openapi_document() -> dict:
    """A copy of the document (callers may not change the original)."""
    return copy.deepcopy(OPENAPI)
