; Types declared after their subtypes (a - b, b - c), an (either ...) type
; of parameters and predicates, untyped constants in a typed domain,
; numeric fluents without "- number", derived predicates over the type
; hierarchy (one of arity 0 with a negated existential over a derived
; one), and a conditional effect on a negated derived atom.
(define (domain either)
 (:requirements :typing :derived-predicates :action-costs :conditional-effects :negative-preconditions :equality :existential-preconditions)
 (:types a - b  b - c c  block - object)
 (:constants k1 k2)
 (:predicates (p ?x - (either a block)) (r ?x) (s ?x ?y) (good) (bad ?x))
 (:functions (cost ?x) (total-cost))
 (:derived (good) (and (not (exists (?x - a) (bad ?x))) (r k1)))
 (:derived (bad ?y - c) (and (s ?y k2) (not (r ?y))))
 (:action mk :parameters (?x - (either a block))
   :precondition (not (p ?x))
   :effect (and (p ?x) (increase (total-cost) (cost ?x))))
 (:action fix :parameters (?x - c)
   :precondition (and (not (good)) (bad ?x))
   :effect (and (r ?x) (when (not (good)) (r k1)) (increase (total-cost) 1)))
)
